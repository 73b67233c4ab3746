"""What a feedback page may contain: student-controlled HTML sanitised, formulas as MathML, nothing remote.

A feedback page is opened by the student and often by the instructor, so student code must not be
able to put a script, an event handler or a request to another server into it (a tracking pixel
would tell a third party who opened the page). Outputs and markdown go through nh3 (the Ammonia
sanitiser) with an allowlist: tables and text formatting stay, images only as data: URIs.
Formulas ($...$, $$...$$) are turned into MathML, which browsers render without MathJax or a CDN.
"""

from __future__ import annotations

import base64
import html
import re

import nh3
from latex2mathml.converter import convert as latex_to_mathml
from nbconvert.filters.markdown_mistune import markdown2html_mistune

# Attributes kept on any tag (pandas tables use class, border and the alignments).
_EXTRA_ATTRIBUTES = {"*": {"class", "title", "align"}, "table": {"border"}, "td": {"colspan", "rowspan"},
                     "th": {"colspan", "rowspan"}, "img": {"src", "alt", "width", "height"}}
_ATTRIBUTES = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
for _tag, _names in _EXTRA_ATTRIBUTES.items():
    _ATTRIBUTES.setdefault(_tag, set()).update(_names)
# Attributes that make the browser fetch something as soon as the page opens.
_LOADING_ATTRIBUTES = {"src", "srcset", "poster", "background", "data", "codebase", "action", "formaction"}

# Mime types whose content runs code or needs a remote library to show: dropped from outputs.
ACTIVE_MIMETYPES = ("application/javascript", "text/javascript", "application/vnd.jupyter.widget-view+json",
                    "application/vnd.jupyter.widget-state+json", "text/latex")

_DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE_MATH = re.compile(r"(?<![\\$\w])\$(?!\s)([^$\n]+?)(?<!\s)\$(?![\w$])")


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in _LOADING_ATTRIBUTES:
        return value if value.startswith("data:image/") else None
    if attribute == "href" and value.strip().lower().startswith("data:"):
        return None
    return value


def clean(fragment: str) -> str:
    """Sanitised HTML: no scripts, styles, event handlers, frames or forms; images only as data: URIs."""
    return nh3.clean(str(fragment), attributes=_ATTRIBUTES, attribute_filter=_keep_attribute,
                     url_schemes={"http", "https", "mailto", "data"}, link_rel="noopener noreferrer nofollow")


def _mathml(latex: str, display: bool) -> str:
    try:
        return latex_to_mathml(html.unescape(latex), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter cannot read stays as its LaTeX text
        return f"<code>{html.escape(html.unescape(latex))}</code>"


def formulas_to_mathml(fragment: str) -> str:
    """Replace $$...$$ and $...$ in (already sanitised) HTML by MathML."""
    fragment = _DISPLAY_MATH.sub(lambda m: _mathml(m.group(1), True), fragment)
    return _INLINE_MATH.sub(lambda m: _mathml(m.group(1), False), fragment)


def markdown_cell_html(source: str) -> str:
    """A markdown cell as safe, self-contained HTML, kept as one HTML block so that the feedback
    template's markdown renderer passes it through unchanged (no blank line inside)."""
    rendered = formulas_to_mathml(clean(markdown2html_mistune(source)))
    return "<div class='course-markdown'>" + re.sub(r"\n\s*\n", "\n", rendered).strip() + "</div>"


def clean_output(output: dict) -> None:
    """Make one code-cell output safe to show (in place)."""
    data = output.get("data")
    if not isinstance(data, dict):
        return  # stream and error outputs are escaped by the template
    for mimetype in ACTIVE_MIMETYPES:
        data.pop(mimetype, None)
    if "image/svg+xml" in data:
        svg = data.pop("image/svg+xml")
        if not any(key.startswith("image/") for key in data):
            # As an <img> an SVG cannot run its scripts or fetch anything.
            encoded = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
            data["text/html"] = f"<img src='data:image/svg+xml;base64,{encoded}' alt='figure'>"
    if "text/markdown" in data:
        data["text/html"] = markdown_cell_html(str(data.pop("text/markdown")))
    elif "text/html" in data:
        data["text/html"] = clean(data["text/html"])
    if not data:
        data["text/plain"] = "(output not shown in feedback)"
