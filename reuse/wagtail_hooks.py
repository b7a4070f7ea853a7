"""Reuse in the Wagtail admin: trainers' and report writers' dashboards and menu items."""
