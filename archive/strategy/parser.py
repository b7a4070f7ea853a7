"""Reads the strategy's taxonomy out of its own text, so the archive's names and
definitions are the strategy's words, not a retyping of them.

Used by the data migration that creates boroughs, themes, dimensions and the glossary.
Each function returns plain dicts; a heading that is not found raises ValueError so a
changed document fails loudly instead of producing an empty taxonomy."""

import re
from pathlib import Path

from django.utils.text import slugify

STRATEGY_TEXT = Path(__file__).with_name("lcr-anti-racism-strategy-2026-2029.txt")

BOROUGHS = ["Halton", "Knowsley", "Liverpool", "St Helens", "Sefton", "Wirral"]
DIMENSIONS = ["Internalised", "Interpersonal", "Institutional", "Structural", "Systemic"]


def read_strategy():
    return STRATEGY_TEXT.read_text(encoding="utf-8")


def _lines(text):
    return [line.strip() for line in text.splitlines()]


def _between(lines, start, stop):
    """Lines after the first exact `start` heading up to the next `stop` heading."""
    try:
        begin = lines.index(start)
    except ValueError as missing:
        raise ValueError(f"Heading {start!r} not found in the strategy") from missing
    end = next((i for i in range(begin + 1, len(lines)) if lines[i] == stop), len(lines))
    return lines[begin + 1 : end]


def _paragraphs(lines):
    """Join wrapped lines into paragraphs; the PDF export breaks some sentences in two."""
    paragraphs, current = [], []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    merged = []
    for paragraph in paragraphs:
        if merged and merged[-1][-1] not in '.!?:”")' and paragraph[:1].islower():
            merged[-1] = f"{merged[-1]} {paragraph}"
        else:
            merged.append(paragraph)
    return merged


def _plain(text):
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def key_issues(text):
    lines = _lines(text)
    issues = []
    for number, name in enumerate(["FEAR", "MISINFORMATION", "MISTRUST"], start=1):
        body = _between(lines, f"{number} {name}:", f"{number + 1} ")
        first = next(p for p in _paragraphs(body) if len(p) > 80)
        issues.append({"name": name.title(), "summary": first})
    return issues


def principles(text):
    body = _between(_lines(text), "6 The Principles", "7 The Vision")
    found, current = [], None
    for line in body:
        heading = re.match(r"^(\d)\. (.+)$", line)
        if heading:
            current = {"name": heading.group(2).strip(), "points": []}
            found.append(current)
        elif current and line.startswith("- "):
            current["points"].append(_plain(line[2:]))
        elif current and line.startswith("VOX POP"):
            break
    if len(found) != 4:
        raise ValueError(f"Expected 4 principles, found {len(found)}")
    return [{"name": p["name"], "summary": "\n".join(p["points"])} for p in found]


def vision(text):
    body = _between(_lines(text), "7 The Vision", "8 The Outcomes")
    statement = next(line for line in body if line.startswith("“"))
    elements = []
    for line in body:
        match = re.match(r"^- \*\*(.+?):\*\*\s*(.+)$", line)
        if match:
            elements.append({"name": match.group(1).strip(), "summary": match.group(2).strip()})
    if len(elements) != 8:
        raise ValueError(f"Expected 8 vision elements, found {len(elements)}")
    return _plain(statement), elements


def outcomes(text):
    body = _between(_lines(text), "8 The Outcomes", "9 The Dimensions of Racism")
    found = [_plain(line[2:]) for line in body if line.startswith("- ")]
    if len(found) != 10:
        raise ValueError(f"Expected 10 outcomes, found {len(found)}")
    return [{"name": name, "summary": ""} for name in found]


def dimensions(text):
    lines = _lines(text)
    body = _between(lines, "9 The Dimensions of Racism", "Internalised Racism")
    intro = [p for p in _paragraphs(body) if len(p) > 200][:2]
    found = []
    for name in DIMENSIONS:
        definition = next(
            _plain(line.split(":**", 1)[1]) for line in body if line.startswith(f"- **{name}:**")
        )
        section = _between(lines, f"{name} Racism", "10 Governance and Accountability")
        aim_at = section.index("Dimension aim")
        aim = next(p for p in _paragraphs(section[aim_at + 1 :]) if p)
        found.append({"name": name, "definition": definition, "aim": aim})
    return intro, found


def glossary(text):
    body = _between(_lines(text), "Glossary", "References")
    terms, current = [], None
    for line in body:
        is_term = line.endswith(":") and 1 < len(line) < 60 and not line.startswith("-")
        if is_term:
            current = {"term": line[:-1].strip(), "lines": []}
            terms.append(current)
        elif current is not None:
            current["lines"].append(line)
    result = []
    for item in terms:
        definition = "\n\n".join(_paragraphs(item["lines"]))
        if definition:
            result.append({"term": item["term"], "definition": definition})
    return result


def boroughs(text):
    lines = _lines(text)
    found = []
    for name in BOROUGHS:
        heading = "St. Helens Borough Profile" if name == "St Helens" else f"{name} Borough Profile"
        if heading not in lines:
            raise ValueError(f"Heading {heading!r} not found in the strategy")
        start = lines.index(heading) + 1
        first_paragraph = _paragraphs(lines[start : start + 8])[0]
        found.append({"name": name, "slug": slugify(name), "description": first_paragraph})
    return found


def taxonomy():
    """Everything the data migration needs, read from the strategy text."""
    text = read_strategy()
    vision_statement, vision_elements = vision(text)
    dimension_intro, dimension_list = dimensions(text)
    return {
        "boroughs": boroughs(text),
        "principles": principles(text),
        "vision_statement": vision_statement,
        "vision": vision_elements,
        "outcomes": outcomes(text),
        "key_issues": key_issues(text),
        "dimension_intro": dimension_intro,
        "dimensions": dimension_list,
        "glossary": glossary(text),
    }


def _paragraph_starting(text, opening):
    for paragraph in _paragraphs(_lines(text)):
        if paragraph.startswith(opening):
            return _plain(paragraph)
    raise ValueError(f"Paragraph starting {opening!r} not found in the strategy")


def section_introductions(text):
    """The strategy's own words introducing each section, for the strategy pages."""
    vision_statement, _ = vision(text)
    dimension_intro, _ = dimensions(text)
    return {
        "strategy": _paragraph_starting(text, "This strategy and its outcomes are focused"),
        "principles": _paragraph_starting(text, "The principles set out below"),
        "vision": vision_statement,
        "outcomes": "Principles as Roots, Outcomes as Growth. "
        + _paragraph_starting(text, "This metaphor emphasises"),
        "key-issues": _paragraph_starting(text, "However, amongst our findings"),
        "dimensions": "\n\n".join(dimension_intro),
        "glossary": "",
    }
