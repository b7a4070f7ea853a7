"""Fixtures for reuse: trainers, report writers and what they make."""
