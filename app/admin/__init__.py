"""School admin pages: people, sessions, data requests."""
