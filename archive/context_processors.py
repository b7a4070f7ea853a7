from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from .models import CollectionPage, StoryIndexPage, StrategyPage

# The header's links are the same on every page, so they are cached rather than queried on
# every request (three queries of each page view; see bench/pages.py). Any page published,
# unpublished, moved, saved or deleted clears them at once in this process; other server
# processes (the cache is per process by default) see the change within NAV_CACHE_SECONDS.
# The navigation holds only editorial pages, never a story, so no consent decision is cached.
NAV_CACHE_SECONDS = 60
NAV_CACHE_KEY = "archive:site-navigation:{root_id}"


def site_navigation(request):
    """Links for the header: the story index, the strategy and the collections."""
    site = Site.find_for_request(request) if request else None
    if site is None or site.root_page_id is None:
        return {}
    key = NAV_CACHE_KEY.format(root_id=site.root_page_id)
    navigation = cache.get(key)
    if navigation is None:
        navigation = _load_navigation(site.root_page_id)
        cache.set(key, navigation, NAV_CACHE_SECONDS)
    return navigation


def _load_navigation(root_id):
    root = Page.objects.filter(pk=root_id).first()
    if root is None:
        return {}
    return {
        "nav_story_index": StoryIndexPage.objects.live().child_of(root).first(),
        "nav_strategy": StrategyPage.objects.live().child_of(root).first(),
        "nav_collections": list(CollectionPage.objects.live().child_of(root)),
    }


def clear_navigation(**kwargs):
    instance = kwargs.get("instance")
    if instance is not None and not isinstance(instance, (Page, Site)):
        return
    root_ids = Site.objects.values_list("root_page_id", flat=True)
    cache.delete_many([NAV_CACHE_KEY.format(root_id=root_id) for root_id in root_ids])


for _signal in (page_published, page_unpublished, post_page_move, post_save, post_delete):
    _signal.connect(clear_navigation, dispatch_uid=f"archive-nav-{id(_signal)}")
