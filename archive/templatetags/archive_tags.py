"""Template helpers for the public pages. Anything that lists stories asks the consent gate."""

from django import template
from django.core.cache import cache
from django.utils.html import format_html
from wagtail.models import Site

from consent import gate

from ..models import Dimension, StoryPage, Theme, ThemeKind

register = template.Library()


FICTION_CACHE_KEY = "archive:has-fictional-stories"


@register.simple_tag
def has_fictional_stories():
    """True when any story the public can see is fictional demo content (the footer says so).

    Cached for a minute: the gate's query runs on every page otherwise, and the footer
    note lagging a minute behind a publication or withdrawal shows no one's story."""
    found = cache.get(FICTION_CACHE_KEY)
    if found is None:
        stories = gate.permitted(gate.Use.SHOW, StoryPage.objects.live(), None)
        found = stories.filter(is_fictional=True).exists()
        cache.set(FICTION_CACHE_KEY, found, 60)
    return found


@register.simple_tag(takes_context=True)
def browse_url(context, index, route, slug):
    """Wagtail's routablepageurl, working out the index page's own URL once per request:
    a browse page links to some forty facets, and the page URL is the costly part."""
    return _page_url(context, index) + index.reverse_subpage(route, args=(slug,))


def _page_url(context, page):
    request = context["request"]
    known = request.__dict__.setdefault("_archive_page_urls", {})
    if page.pk not in known:
        base = page.relative_url(Site.find_for_request(request), request)
        known[page.pk] = base if base.endswith("/") else base + "/"
    return known[page.pk]


@register.simple_tag(takes_context=True)
def nav_state(context, url):
    """aria-current for a header link: 'page' on the page itself, 'true' anywhere beneath it."""
    request = context.get("request")
    if not request or not url or url.startswith("/#"):
        return ""
    if request.path == url:
        return "page"
    if url != "/" and request.path.startswith(url):
        return "true"
    return ""


@register.simple_tag(takes_context=True)
def facet_link(context, index, route, slug, text):
    """One browse link in a facet list; the one for this page is marked as current."""
    url = browse_url(context, index, route, slug) if route else _page_url(context, index)
    if url == context["request"].path:
        link = '<a class="govuk-link archive-facets__current" href="{}" aria-current="page">{}</a>'
    else:
        link = '<a class="govuk-link" href="{}">{}</a>'
    return format_html("<li>" + link + "</li>", url, text)


@register.simple_tag
def theme_groups():
    """Themes grouped as the strategy groups them: principles, vision, outcomes, key issues."""
    themes = list(Theme.objects.all())
    return [(kind.label, [t for t in themes if t.kind == kind]) for kind in ThemeKind]


@register.simple_tag
def all_dimensions():
    return Dimension.objects.all()


@register.inclusion_tag("includes/story_card.html", takes_context=True)
def story_card(context, story, heading_level=3):
    return {"story": story, "heading_level": heading_level, "request": context.get("request")}


GROUP_HEADINGS = {
    ThemeKind.PRINCIPLE.label: "Principles",
    ThemeKind.VISION.label: "The vision",
    ThemeKind.OUTCOME.label: "Outcomes",
    ThemeKind.KEY_ISSUE.label: "Key issues",
}


@register.filter
def group_heading(label):
    """'Principle' -> 'Principles': headings for the strategy's groups of themes."""
    return GROUP_HEADINGS.get(str(label), label)
