"""What a page would fetch from the network: http(s) or protocol-relative URLs in the attributes that
make a browser load something (script src, link href, img src, ...). A self-contained page has none."""

from __future__ import annotations

from html.parser import HTMLParser

# (tag, attribute) pairs that load a resource when the page opens; <a href> does not and is left out.
LOADING_ATTRIBUTES = {("script", "src"), ("link", "href"), ("img", "src"), ("iframe", "src"), ("source", "src"),
                      ("video", "src"), ("audio", "src"), ("embed", "src"), ("object", "data"), ("input", "src")}


class _Finder(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if (tag, name) in LOADING_ATTRIBUTES and value and value.strip().lower().startswith(("http:", "https:", "//")):
                self.found.append(f"<{tag} {name}={value.strip()}>")


def remote_resources(html: str) -> list[str]:
    """Every resource ``html`` would load from the network, as "<tag attr=url>"."""
    finder = _Finder()
    finder.feed(html)
    return finder.found
