"""Reports for staff: coverage, progression, class progress, their charts and CSV exports.

Read-only views of what services record; nothing here writes.
"""
