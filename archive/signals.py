"""Signals archive sends, so apps above it can follow its work without archive knowing them."""

from django.dispatch import Signal

# Sent by archive.tasks.make_rendition when a rendition job ends: sender=Recording,
# recording=the Recording, ok=True when it is ready (made now, or already ready; not sent if
# the recording was deleted meanwhile), ok=False when the job failed. transcription listens
# to queue the recording's transcript.
rendition_finished = Signal()
