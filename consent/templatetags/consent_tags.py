"""Template helpers for showing a story the way its teller chose."""

from django import template

register = template.Library()


@register.simple_tag
def story_credit(story):
    """The teller's name as they chose to be named: full, first name, pseudonym, or
    "Anonymous". A story without a contributor on record is credited to nobody."""
    record = getattr(story, "consent", None)
    contributor = getattr(record, "contributor", None)
    return contributor.credit if contributor is not None else "Anonymous"
