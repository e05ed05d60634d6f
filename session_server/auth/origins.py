"""Which pages may act with a signed-in browser's cookie: the site's own origins, for HTTP writes, sign-in and /live.

A browser names the page that sent a request in `Origin` (or `Referer`); a request without either comes from a
program, not from a page another site could have planted, and carries its own credentials.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from session_server.settings import Settings


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, lower case; empty for anything that is not an http(s) URL."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def own_origins(settings: Settings) -> frozenset[str]:
    """The public URL's origin and the configured extra ones (another name or address the hall's tablets use)."""
    extra = (origin_of(item) for item in settings.extra_origins.split(","))
    return frozenset({origin_of(settings.effective_public_url), *extra} - {""})


def is_own_origin(settings: Settings, sender: str | None, host: str | None) -> bool:
    """Whether a request naming `sender` (its Origin or Referer header) came from one of our pages. The address the
    browser itself was asked for (`host`, its Host header) counts as ours too: a browser sends a site's cookie only
    to that site, so a page of another site cannot make it name ours."""
    if sender is None:
        return True
    origin = origin_of(sender)
    if not origin:
        return False
    if origin in own_origins(settings):
        return True
    return host is not None and urlsplit(origin).netloc == host.lower()
