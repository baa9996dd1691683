"""Remote assets are found and neutralised; links and the specs' own URLs are left alone."""

from __future__ import annotations

import pytest

from imagegen_spec.docs.offline import (
    CONTENT_SECURITY_POLICY,
    add_offline_head,
    make_offline,
    remote_asset_urls,
)

PAGE = """<!DOCTYPE html><html><head>
<link rel="preconnect" href="https://fonts.gstatic.com">
<link href="https://fonts.googleapis.com/css?family=Roboto:300,400" rel="stylesheet">
<script src="https://cdn.example.org/redoc.standalone.js"></script>
<style>@import url("https://fonts.googleapis.com/css2?family=Inter");
@font-face { font-family: X; src: url(https://static.example.org/x.woff2); }</style>
</head><body>
<img src="https://images.example.org/logo.png" alt="logo">
<a href="https://redocly.com/redoc/">API docs by</a>
<script>const logo = `https://cdn.redoc.ly/redoc/logo-mini.svg`;
const state = {"servers": [{"url": "https://api.fastapi.ai/v1"}],
               "example": "https://www.contoso.com/images/generated/corgi.png"};</script>
</body></html>"""


def test_every_kind_of_remote_asset_is_found() -> None:
    found = remote_asset_urls(PAGE)
    for url in (
        "https://fonts.gstatic.com",
        "https://fonts.googleapis.com/css?family=Roboto:300,400",
        "https://cdn.example.org/redoc.standalone.js",
        "https://fonts.googleapis.com/css2?family=Inter",
        "https://static.example.org/x.woff2",
        "https://images.example.org/logo.png",
        "https://cdn.redoc.ly/redoc/logo-mini.svg",
    ):
        assert url in found, f"expected {url} to count as a remote asset"
    for url in ("https://redocly.com/redoc/", "https://api.fastapi.ai/v1"):
        assert url not in found, f"expected {url} (a link or spec content) to be left alone"


def test_make_offline_leaves_no_remote_asset_and_keeps_links_and_content() -> None:
    html, neutralised = make_offline(PAGE)
    assert remote_asset_urls(html) == []
    assert len(neutralised) == 7
    assert 'href="https://redocly.com/redoc/"' in html
    assert "https://api.fastapi.ai/v1" in html
    assert "https://www.contoso.com/images/generated/corgi.png" in html
    assert CONTENT_SECURITY_POLICY in html
    assert "<script src=" not in html and "fonts.googleapis" not in html


def test_the_policy_goes_first_in_the_head() -> None:
    html = add_offline_head("<html><head><title>t</title></head></html>")
    assert html.index("Content-Security-Policy") < html.index("<title>")


def test_a_page_without_head_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="no <head>"):
        add_offline_head("<p>no head</p>")
