"""Domain services: no request, no blueprint; views call these."""
