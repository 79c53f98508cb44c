"""Lantern: online-safety curriculum and AUP platform for schools."""
