"""Teachers' pages: their classes, assignments, progress and present mode."""
