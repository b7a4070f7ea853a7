"""Trainers' pages: find clips and "My clips", the clip maker, reels, the presenter view and
share links. Thin: the work is in reuse.clips, reuse.reels and reuse.sharing, which ask the
consent gate on every read; these views only read the request and show the outcome."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from archive.models import StoryPage
from archive.public_files import public_file
from consent import gate
from consent.gate import Use
from files.serving import serve_file
from transcription import captions
from transcription.outputs import render_public

from .. import clips, reels, sharing
from ..models import Clip

MAX_QUERY = 200


def trainers_only(view):
    """Signed out: to the sign-in page (and back); signed in without the role: 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not clips.may_clip(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def _number(value, kind=int):
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


# --- finding passages and "My clips" ------------------------------------------------


@trainers_only
@require_safe
def clip_list(request):
    query = (request.GET.get("q") or "").strip()[:MAX_QUERY]
    try:
        results, unavailable = clips.find_passages(query, request.user), False
    except Exception:
        results, unavailable = [], True
    context = {
        "query": query,
        "results": results,
        "my_clips": clips.my_clips(request.user),
        "reels": reels.own_reels(request.user),
        "unavailable": unavailable,
    }
    status = 503 if unavailable else 200
    return render(request, "reuse/trainers/clips.html", context, status=status)


@trainers_only
@require_POST
def clip_delete(request, pk):
    clip = get_object_or_404(Clip, pk=pk, owner=request.user)
    clips.delete_clip(clip)
    return redirect(reverse("reuse:clips") + "#my-clips")


@trainers_only
@require_POST
def clip_to_reel(request, pk):
    clip = clips.allowed_clip(request.user, pk)
    reel = reels.own_reels(request.user).filter(pk=_number(request.POST.get("reel")) or 0).first()
    if clip is None or reel is None:
        raise Http404
    reels.add_clip(reel, clip, request.user)
    return redirect("reuse:reel", reel.pk)


@trainers_only
@require_safe
def clip_media(request, pk, what):
    """A clip's cut file or captions, for its owner and the trainers a reel with it is
    shared with; the gate is asked again."""
    clip = Clip.objects.filter(pk=pk).first()
    if what not in ("media", "captions") or clip is None or not _may_see_clip(clip, request.user):
        raise Http404
    field_file = sharing.playable_file(clip, request.user, what)
    if field_file is None:
        raise Http404
    return _serve_clip_file(request, field_file, what)


def _may_see_clip(clip, user):
    if clip.owner_id == user.pk:
        return True
    return reels.visible_reels(user).filter(items__clip=clip).exists()


def _serve_clip_file(request, field_file, what):
    content_type = captions.CONTENT_TYPES["vtt"] if what == "captions" else None
    return serve_file(request, field_file, content_type)


# --- the clip maker --------------------------------------------------------------------


@trainers_only
def clip_maker(request, story_id):
    story = get_object_or_404(StoryPage, pk=story_id)
    source = clips.source_for(story, request.user)  # the gate, when shown
    if source is None:
        return _cannot_clip(request, story)
    error, chosen = "", _chosen_words(request, source)
    if request.method == "POST":
        try:
            start, end = _bounds_from(request.POST, source)
            clips.make_clip(request.user, story, start, end, request.POST.get("title", ""))
        except clips.ClipRefused as refused:
            error = str(refused)
        else:
            return redirect(reverse("reuse:clips") + "#my-clips")
    context = {"story": story, "source": source, "error": error, "chosen": chosen}
    return render(request, "reuse/trainers/clip_maker.html", context, status=400 if error else 200)


def _cannot_clip(request, story):
    context = {"story": story}
    return render(request, "reuse/trainers/cannot_clip.html", context, status=404)


def _bounds_from(data, source):
    start, end = _number(data.get("start"), float), _number(data.get("end"), float)
    first, last = _number(data.get("first")), _number(data.get("last"))
    return clips.bounds(source, first=first, last=last, start=start, end=end)


def _chosen_words(request, source):
    """Words to select first: those of a passage found on the clips page (?start=&end=)."""
    start = _number(request.GET.get("start"), float)
    end = _number(request.GET.get("end"), float)
    if start is None or end is None:
        return (None, None)
    inside = [w.index for w in source.words if start <= (w.start + w.end) / 2 <= end]
    return (inside[0], inside[-1]) if inside else (None, None)


@trainers_only
@require_safe
def story_media(request, story_id):
    """The story's public (redacted) file for the clip maker's player."""
    story = get_object_or_404(StoryPage, pk=story_id)
    source = clips.source_for(story, request.user)
    if source is None or not gate.may(Use.PLAY, story, request.user):
        raise Http404
    media = public_file(source.recording)
    if not media:
        raise Http404
    return serve_file(request, media, source.recording.rendition_mime or None)


@trainers_only
@require_safe
def story_captions(request, story_id):
    """The story's public captions (WebVTT), for the clip maker's preview."""
    story = get_object_or_404(StoryPage, pk=story_id)
    source = clips.source_for(story, request.user)
    if source is None:
        raise Http404
    vtt = render_public(source.transcript, "vtt")
    response = HttpResponse(vtt, content_type=captions.CONTENT_TYPES["vtt"])
    response["Cache-Control"] = "private, no-store"
    return response


# --- reels -----------------------------------------------------------------------------


@trainers_only
def reel_list(request):
    error = ""
    if request.method == "POST":
        try:
            reel = reels.create_reel(
                request.user, request.POST.get("title", ""), request.POST.get("description", "")
            )
        except reels.ReelRefused as refused:
            error = str(refused)
        else:
            return redirect("reuse:reel", reel.pk)
    context = {"reels": reels.visible_reels(request.user).select_related("owner"), "error": error}
    return render(request, "reuse/trainers/reels.html", context, status=400 if error else 200)


@trainers_only
def reel_detail(request, pk):
    reel = reels.reel_for(request.user, pk)
    if reel is None:
        raise Http404
    editable = reels.may_edit(reel, request.user)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        return _change_reel(request, reel)
    return _reel_page(request, reel, editable)


def _reel_page(request, reel, editable, error="", status=200):
    context = {
        "reel": reel,
        "editable": editable,
        "items": reels.shown_items(reel, request.user),
        "my_clips": clips.my_clips(request.user) if editable else [],
        "trainers": reels.trainers_to_share_with(reel) if editable else [],
        "shared_with": reel.shared_with.order_by("username"),
        "links": sharing.links_of(reel) if editable else [],
        "expiry_choices": sharing.EXPIRY_CHOICES,
        "error": error,
    }
    return render(request, "reuse/trainers/reel.html", context, status=status)


REEL_ACTIONS = {
    "add_clip": lambda r, d, u: reels.add_clip(r, _my_clip(u, d), u, d.get("text", "")),
    "add_slide": lambda r, d, u: reels.add_slide(r, d.get("text", "")),
    "set_text": lambda r, d, u: reels.set_text(r, _item_id(d), d.get("text", "")),
    "remove": lambda r, d, u: reels.remove_item(r, _item_id(d)),
    "up": lambda r, d, u: reels.move(r, _item_id(d), -1),
    "down": lambda r, d, u: reels.move(r, _item_id(d), 1),
    "reorder": lambda r, d, u: reels.reorder(r, _ids(d.get("order", ""))),
    "share": lambda r, d, u: reels.share_with(r, _item_id(d, "user")),
    "unshare": lambda r, d, u: reels.unshare(r, _item_id(d, "user")),
    "acknowledge": lambda r, d, u: reels.acknowledge_consent_change(r),
    "link": lambda r, d, u: sharing.create_link(
        r, u, _number(d.get("hours")) or 0, d.get("label", "")
    ),
    "revoke": lambda r, d, u: sharing.revoke(r, _item_id(d, "link")),
}


def _change_reel(request, reel):
    action = REEL_ACTIONS.get(request.POST.get("action", ""))
    if action is None:
        raise Http404
    try:
        action(reel, request.POST, request.user)
    except (reels.ReelRefused, sharing.ShareRefused) as refused:
        if _wants_json(request):
            return JsonResponse({"error": str(refused)}, status=400)
        return _reel_page(request, reel, True, str(refused), status=400)
    if _wants_json(request):
        return JsonResponse({"ok": True})
    anchor = request.POST.get("anchor", "items")
    return redirect(reverse("reuse:reel", args=[reel.pk]) + f"#{anchor}")


def _wants_json(request):
    return request.headers.get("Accept", "").startswith("application/json")


def _item_id(data, name="item"):
    value = _number(data.get(name))
    if value is None:
        raise reels.ReelRefused("Choose an item.")
    return value


def _ids(text):
    return [int(pk) for pk in text.split(",") if pk.strip().isdigit()]


def _my_clip(user, data):
    clip = clips.allowed_clip(user, _number(data.get("clip")) or 0)
    if clip is None:
        raise reels.ReelRefused("Choose one of your clips.")
    return clip


# --- presenting and sharing ------------------------------------------------------------


@trainers_only
@require_safe
def presenter(request, pk):
    reel = reels.reel_for(request.user, pk)
    if reel is None:
        raise Http404
    items = reels.shown_items(reel, request.user)
    slides = [
        _slide(
            shown,
            reverse("reuse:clip_media", args=[_pk(shown), "media"]),
            reverse("reuse:clip_media", args=[_pk(shown), "captions"]),
        )
        for shown in items
    ]
    context = {"reel": reel, "slides": slides, "back": reverse("reuse:reel", args=[reel.pk])}
    return render(request, "reuse/trainers/presenter.html", context)


def _pk(shown):
    return shown.clip.pk if shown.clip else 0


def _slide(shown, media_url, captions_url):
    ready = shown.clip is not None and bool(shown.clip.file)
    return {"shown": shown, "media": media_url, "captions": captions_url, "ready": ready}


@require_safe
def share(request, token):
    link, is_open = sharing.open_link(token)
    if link is None:
        raise Http404
    if not is_open:
        return render(request, "reuse/trainers/share_closed.html", {"link": link}, status=410)
    slides = [
        _slide(
            shown,
            reverse("reuse:share_media", args=[token, _pk(shown)]),
            reverse("reuse:share_captions", args=[token, _pk(shown)]),
        )
        for shown in sharing.shared_items(link)
    ]
    context = {"reel": link.reel, "slides": slides, "link": link, "back": ""}
    return render(request, "reuse/trainers/presenter.html", context)


@require_safe
def share_media(request, token, clip_id, what="media"):
    link, is_open = sharing.open_link(token)
    if link is None:
        raise Http404
    if not is_open:
        return render(request, "reuse/trainers/share_closed.html", {"link": link}, status=410)
    field_file = sharing.clip_file(link, clip_id, what)
    if field_file is None:
        raise Http404
    return _serve_clip_file(request, field_file, what)


def share_captions(request, token, clip_id):
    return share_media(request, token, clip_id, "captions")
