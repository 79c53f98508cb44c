"""Pupils' pages: their lessons and quizzes, at their age."""
