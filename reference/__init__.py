"""Hidden reference solutions for the course assignments (never shipped to students)."""
