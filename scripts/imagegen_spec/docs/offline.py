"""Keep every page of the site offline: nothing is fetched from another host when it is viewed.

Redocly's `build-docs --inlineBundle` inlines Redoc's script, but the bundle still points at its
CDN (the "API docs by" badge's logo, an icon set) and older templates link Google Fonts. This
module finds the URLs a browser would load — in loading HTML attributes (`<link href>`,
`<script src>`, `<img src>`, ...), in CSS (`@import`, `url()`), and any URL on a CDN or font host
(that is where bundles fetch assets from at run time) — and neutralises them: tags that only load
remote assets are dropped, other URLs become an empty inline image. Links people follow (`<a>`)
and URLs in the specs' own text (servers, examples) are left alone.

On top, each page gets a Content-Security-Policy that lets it load only from its own origin and
inline data, so a code path the build did not see still cannot reach the network (the browser
tests fail on the console error it would log).
"""

from __future__ import annotations

import re

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; frame-src 'none'; base-uri 'self'"
)
OFFLINE_HEAD = (
    f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
    # Without a declared icon the browser asks the server for /favicon.ico (a 404 error).
    '<link rel="icon" href="data:,">\n'
)
BLANK_IMAGE = (
    "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22%20"
    "width=%2264%22%20height=%2216%22/%3E"
)

_URL = r"https?://[^\s\"'`<>()\\]+"
_LOADING_ATTRIBUTE = re.compile(
    r"<(?:link|script|img|iframe|frame|source|audio|video|embed|object|track|image|use|input)\b"
    r"[^>]*?\s(?:src|href|srcset|data|poster|xlink:href)\s*=\s*[\"']?(" + _URL + ")",
    re.IGNORECASE,
)
_CSS_URL = re.compile(r"(?:@import\s+|url\(\s*)[\"']?(" + _URL + ")", re.IGNORECASE)
_ASSET_HOST = re.compile(
    r"https?://(?:[\w-]+\.)*(?:cdn[\w-]*|fonts\.googleapis|fonts\.gstatic|unpkg|jsdelivr)"
    r"\.[\w.-]+(?:[/?#][^\s\"'`<>()\\]*)?",
    re.IGNORECASE,
)
_REMOTE_LINK_TAG = re.compile(r"<link\b[^>]*?\shref\s*=\s*[\"']?https?://[^>]*>", re.IGNORECASE)
_REMOTE_SCRIPT_TAG = re.compile(
    r"<script\b[^>]*?\ssrc\s*=\s*[\"']?https?://[^>]*>\s*</script>", re.IGNORECASE
)
_REMOTE_IMPORT = re.compile(r"@import\s+(?:url\()?[\"']?https?://[^;]*;", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def remote_asset_urls(html: str) -> list[str]:
    """Every URL in a page that a browser would load from another host, in order, once each."""
    found = [
        match.group(1)
        for pattern in (_LOADING_ATTRIBUTE, _CSS_URL)
        for match in pattern.finditer(html)
    ]
    found += [match.group(0) for match in _ASSET_HOST.finditer(html)]
    return list(dict.fromkeys(found))


def neutralise_remote_assets(html: str) -> tuple[str, list[str]]:
    """Drop or blank every remote asset of a page; return the page and what was neutralised."""
    neutralised = remote_asset_urls(html)
    for pattern in (_REMOTE_LINK_TAG, _REMOTE_SCRIPT_TAG, _REMOTE_IMPORT):
        html = pattern.sub("", html)
    # Longest first, so that a URL which is a prefix of another does not break it.
    for url in sorted(remote_asset_urls(html), key=len, reverse=True):
        html = html.replace(url, BLANK_IMAGE)
    return html, neutralised


def add_offline_head(html: str) -> str:
    """Insert the Content-Security-Policy and an inline icon right after `<head>`."""
    match = _HEAD.search(html)
    if match is None:
        raise ValueError("the page has no <head> to put its Content-Security-Policy in")
    return html[: match.end()] + "\n" + OFFLINE_HEAD + html[match.end() :]


def make_offline(html: str) -> tuple[str, list[str]]:
    """Neutralise remote assets and add the offline head; raise if any remote asset remains."""
    html, neutralised = neutralise_remote_assets(html)
    html = add_offline_head(html)
    remaining = remote_asset_urls(html)
    if remaining:
        raise ValueError(f"remote assets left after neutralising: {', '.join(remaining)}")
    return html, neutralised
