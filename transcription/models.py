"""Models arrive with the transcription issue."""
