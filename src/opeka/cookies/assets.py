"""The banner's static files (``static/``): bytes, a gzip copy and an ETag, read once.

``banner.js`` is the one script a site includes (``<script async src=…/banner.js>``); it adds
``banner.css`` itself and fetches ``config.json`` beside it. ``analytics.js`` is the first-party
page-view beacon, included as a blocked script (``type="text/plain" data-category="analytics"``)
so that it runs only with consent.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "static"
MEDIA_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
FILES = ("banner.js", "banner.css", "analytics.js")


@dataclass(frozen=True, slots=True)
class Asset:
    """One static file, ready to serve."""

    name: str
    body: bytes
    gzipped: bytes
    etag: str
    media_type: str


@functools.cache
def asset(name: str) -> Asset:
    """The asset called ``name`` (one of :data:`FILES`)."""
    if name not in FILES:
        raise KeyError(name)
    body = (STATIC / name).read_bytes()
    return Asset(
        name=name,
        body=body,
        gzipped=gzip.compress(body, compresslevel=9, mtime=0),
        etag='"' + hashlib.sha256(body).hexdigest()[:20] + '"',
        media_type=MEDIA_TYPES[Path(name).suffix],
    )


def banner_size() -> int:
    """Bytes a first visit downloads for the banner: JS + CSS, gzip -9."""
    return len(asset("banner.js").gzipped) + len(asset("banner.css").gzipped)
