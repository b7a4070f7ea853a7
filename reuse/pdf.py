"""PDFs from HTML templates: report exports and training-pack handouts, by WeasyPrint."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    """The template rendered to a PDF. Fonts come from the system (DejaVu, Debian's
    fonts-dejavu-core); nothing is fetched from the network: relative URLs resolve
    against the project's folder and no other base is given."""
    from weasyprint import HTML  # imported here: it loads Pango, which only PDFs need

    html = render_to_string(template_name, context)
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
