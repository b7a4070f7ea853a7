"""Models arrive with the search issue."""
