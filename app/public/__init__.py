"""Pages for everyone: the front door, the language switch, the health check, guests."""
