"""Models arrive with the consent issue."""
