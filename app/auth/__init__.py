"""Sign-in: passwords, KS1 pictures, sessions, first-logon password change, sign-out."""
