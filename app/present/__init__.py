"""Present mode: a lesson, an AUP or a workshop's slides full-screen on the classroom board."""
