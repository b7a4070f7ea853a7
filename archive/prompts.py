"""Questions the in-browser recorder offers while a contributor records (issue 15).

Each is worded from the strategy: its three key issues (fear, misinformation, mistrust,
archive/strategy) and what would help. They are optional and shown one at a time; a
question whose key issue is not in the database is left out, so the prompts never name
a Theme the archive does not hold."""

from .models import Theme, ThemeKind

OPENING = "Tell us what happened, where it happened, and how it made you feel."
# Key issue slug -> a question in the strategy's own words.
KEY_ISSUE_PROMPTS = {
    "fear": (
        "Fear: has fear of using the wrong words, of being blamed, or of the word "
        "'racism' itself stopped you or others talking openly about race and racism?"
    ),
    "misinformation": (
        "Misinformation: have lies and misinformation, on social media or in your "
        "community, led to you or people you know being wrongfully blamed?"
    ),
    "mistrust": (
        "Mistrust: have organisations or institutions promised change and not acted on it? "
        "How has that affected your trust in them?"
    ),
}
WHAT_WOULD_HELP = (
    "What would help? What should organisations and people in the Liverpool City Region "
    "do to bring about racial justice?"
)


def recording_prompts() -> list[str]:
    """The opening question, one per key issue the archive holds, then what would help."""
    held = Theme.objects.filter(kind=ThemeKind.KEY_ISSUE).order_by("sort_order")
    by_issue = [
        KEY_ISSUE_PROMPTS[slug]
        for slug in held.values_list("slug", flat=True)
        if slug in KEY_ISSUE_PROMPTS
    ]
    return [OPENING, *by_issue, WHAT_WOULD_HELP]
