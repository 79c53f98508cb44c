"""The demo school (school.py) and a year of its activity (activity.py); never in production."""
