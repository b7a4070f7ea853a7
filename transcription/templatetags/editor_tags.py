"""Filters for the transcript editor: times as editors read them (m:ss.s)."""

from django import template

from ..models import timecode as _timecode

register = template.Library()


@register.filter
def timecode(seconds: float) -> str:
    return _timecode(float(seconds))
