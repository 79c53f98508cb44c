"""Content kept as files (AUPs, lessons, quizzes): parsed once, validated, immutable."""
