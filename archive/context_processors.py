from wagtail.models import Site

from .models import CollectionPage, StoryIndexPage, StrategyPage


def site_navigation(request):
    """Links for the header: the story index, the strategy and the collections."""
    site = Site.find_for_request(request) if request else None
    root = site.root_page if site else None
    if root is None:
        return {}
    return {
        "nav_story_index": StoryIndexPage.objects.live().child_of(root).first(),
        "nav_strategy": StrategyPage.objects.live().child_of(root).first(),
        "nav_collections": CollectionPage.objects.live().child_of(root),
    }
