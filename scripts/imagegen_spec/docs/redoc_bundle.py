"""One copy of Redoc's script for every reference page, instead of one inlined into each.

`redocly build-docs` without `--inlineBundle` writes a page that imports Redoc's bundle from
Redocly's CDN as an ES module, with the bundle's `integrity` hash. The pinned Redocly CLI ships
that very file; this module checks it against the page's hash (so the file is the one the page
was built for), then turns it into one classic script the pages share: an ES module cannot load
from a page opened from disk (`file://`), and the site must work so. The conversion is exact and
checked: the bundle's one `export` statement goes, and its two `import.meta` uses (both on code
paths for Node or for a browser without Blob workers) read a stand-in. The logo of Redoc's "API
docs by" badge, a CDN image, becomes an inline SVG that reads "Redoc".
"""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from imagegen_spec.docs.offline import neutralise_remote_assets
from imagegen_spec.docs.redoc import NODE_TOOLS, DocsBuildError

BUNDLE = NODE_TOOLS / "node_modules" / "@redocly" / "cli" / "lib" / "chunks" / "redoc.standalone.js"
"""The Redoc bundle the pinned Redocly CLI ships (and inlines with `--inlineBundle`)."""

_MODULE_IMPORT = re.compile(
    r'<script type="module">\s*import \{ hydrate \} from "(?P<url>https://[^"]+)";'
)
_PRELOAD = re.compile(
    r'<link rel="modulepreload" href="(?P<url>[^"]+)" integrity="(?P<sri>[^"]+)"[^>]*>'
)
_EXPORT = re.compile(r"export\{RedocStandalone,hydrate,init\};\s*$")
_IMPORT_META = re.compile(r"(?<![\"'])\bimport\.meta\b")
_IMPORT_META_USES = 2
_IMPORT_META_STAND_IN = "__redocImportMeta"
_LOGO = re.compile(r"https://cdn\.redoc\.ly/redoc/logo-mini(?P<full>-full)?\.svg")


def _wordmark(text: str, width: int) -> str:
    """An inline SVG image that reads `text` (Redoc's blue; it shows on light and dark)."""
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="16">'
        f'<text x="0" y="12" font-family="sans-serif" font-size="12" font-weight="700" '
        f'fill="#3b82f6">{text}</text></svg>'
    )
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass(frozen=True)
class SharedBundle:
    """Redoc's script as the pages share it: the file's name and text."""

    name: str
    text: str


def sri_sha384(data: bytes) -> str:
    """A Subresource Integrity value (`sha384-...`) of some bytes."""
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def shared_bundle(page: str, bundle: Path = BUNDLE) -> SharedBundle:
    """Check the local bundle against a page's integrity hash and make the shared script."""
    preload = _PRELOAD.search(page)
    if preload is None:
        raise DocsBuildError(
            "redocly build-docs wrote no <link rel=modulepreload ... integrity=...> for Redoc's "
            "bundle: the page's template changed; update imagegen_spec.docs.redoc_bundle"
        )
    if not bundle.is_file():
        raise DocsBuildError(f"{bundle} is missing: run `npm ci --prefix scripts/node`")
    data = bundle.read_bytes()
    if sri_sha384(data) != preload["sri"]:
        raise DocsBuildError(
            f"{bundle} is not the bundle the page was built for ({preload['url']}, "
            f"{preload['sri']}): reinstall the Node tools (`npm ci --prefix scripts/node`)"
        )
    text = data.decode("utf-8")
    version = preload["url"].split("/redoc/v", 1)[-1].split("/", 1)[0]
    if not _EXPORT.search(text):
        raise DocsBuildError(f"Redoc {version}'s bundle no longer ends with its known export")
    uses = len(_IMPORT_META.findall(text))
    if uses != _IMPORT_META_USES:
        raise DocsBuildError(
            f"Redoc {version}'s bundle uses import.meta {uses} times, expected "
            f"{_IMPORT_META_USES}: check that it still works as a classic script"
        )
    text = _EXPORT.sub("", text)
    text = _IMPORT_META.sub(_IMPORT_META_STAND_IN, text)
    text = _LOGO.sub(
        lambda match: _wordmark("Redoc", 48) if match["full"] else _wordmark("R", 12), text
    )
    text, _ = neutralise_remote_assets(text)
    prologue = (
        '"use strict";\n'
        f"var {_IMPORT_META_STAND_IN} = {{ url: document.currentScript "
        '? document.currentScript.src : location.href, dirname: "" };\n'
    )
    return SharedBundle(f"redoc-{version}.standalone.js", prologue + text)


def use_shared_bundle(page: str, src: str) -> str:
    """A page that loads Redoc from `src` (the shared script) instead of from the CDN."""
    page, preloads = _PRELOAD.subn("", page)
    page, imports = _MODULE_IMPORT.subn(f'<script src="{src}"></script>\n<script>', page)
    if preloads != 1 or imports != 1:
        raise DocsBuildError(
            "the Redoc page's script tags are not the ones expected "
            f"({preloads} modulepreload, {imports} module import): its template changed"
        )
    return page
