"""Suppression: values resting on 1-4 stories hidden, with complementary suppression so a
hidden value cannot be found by subtraction; zero stays 0."""

from reuse.charts import bars_svg, text_alternative
from reuse.reports import Number, Table, change, suppress


def table(cells):
    """A table of story counts from {(row, column): stories}, totals added up."""
    rows = sorted({r for r, _c in cells})
    columns = sorted({c for _r, c in cells})
    made = Table("t", [(r, r) for r in rows], [(c, c) for c in columns])
    made.cells = {key: Number(n, n) for key, n in cells.items()}
    made.row_totals = {r: _n(sum(n for (x, _c), n in cells.items() if x == r)) for r in rows}
    made.column_totals = {c: _n(sum(n for (_r, y), n in cells.items() if y == c)) for c in columns}
    made.total = _n(sum(cells.values()))
    return made


def _n(count):
    return Number(count, count)


def test_small_values_are_hidden_and_zero_stays():
    made = table({("a", "x"): 3, ("a", "y"): 0, ("b", "x"): 20, ("b", "y"): 30})
    suppress(made)
    assert made.cell("a", "x").shown == "fewer than 5"
    assert made.cell("a", "y").shown == "0"
    # Row a has one hidden value and only a zero beside it: its total (3) is hidden too.
    assert made.row_total("a").shown == "fewer than 5"
    # Column x: 3 hidden, so the next smallest (20) is hidden as well.
    assert made.cell("b", "x").shown == "fewer than 5"
    # The row totals then have one hidden (a's): b's total goes too, so 30 can stay.
    assert made.row_total("b").shown == "fewer than 5" and made.row_total("b").csv == "<5"
    assert made.cell("b", "y").shown == "30"


def test_complementary_hides_the_next_smallest_in_the_row():
    made = table(
        {("a", "x"): 2, ("a", "y"): 7, ("a", "z"): 9, ("b", "x"): 8, ("b", "y"): 6, ("b", "z"): 5}
    )
    suppress(made)
    hidden = {key for key, n in made.cells.items() if n.suppressed}
    # a-x is small; row a: then a-y (7, the next smallest); column x: b-x; column y: b-y;
    # row b now has two hidden, and every line has none or two or more.
    assert hidden == {("a", "x"), ("a", "y"), ("b", "x"), ("b", "y")}
    for total, parts in [(made.row_total(r), [made.cell(r, c) for c in "xyz"]) for r in "ab"] + [
        (made.column_totals[c], [made.cell(r, c) for r in "ab"]) for c in "xyz"
    ]:
        assert total.suppressed or sum(p.suppressed for p in parts) != 1


def test_nothing_hidden_when_every_value_rests_on_five_or_more():
    made = table({("a", "x"): 5, ("a", "y"): 6, ("b", "x"): 7, ("b", "y"): 0})
    suppress(made)
    assert [n.shown for n in made.cells.values()] == ["5", "6", "7", "0"]


def test_change_since_last_year_is_hidden_where_either_side_is():
    assert change(Number(12, 12), Number(9, 9)) == "+3"
    assert change(Number(12, 12), Number(3, 3, suppressed=True)) == "fewer than 5"
    assert change(Number(0, 0), Number(0, 0)) == "no change"


def test_the_chart_draws_a_hidden_value_as_no_bar_labelled():
    made = table({("Housing", "x"): 3, ("Policing", "x"): 30})
    suppress(made)
    svg = bars_svg(made).decode()
    assert "fewer than 5" in svg and "Housing" in svg
    assert "30" not in text_alternative(made)  # the total of 33 would give away the 3
    assert text_alternative(made).startswith("Bar chart, t. Housing: fewer than 5; Policing:")
