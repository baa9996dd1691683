"""Thread-safe, bounded, in-memory store of images served by URL.

Images live only in process memory under random opaque ids; nothing here
touches the filesystem, and ids not shaped like the ones put() returns are
rejected before any lookup, so an id can never name anything else.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

_ID_BYTES = 16
# Exactly the shape of secrets.token_urlsafe(16): 22 base64url characters.
_ID_PATTERN = re.compile(r"[A-Za-z0-9_-]{22}")


@dataclass(frozen=True, slots=True)
class StoredImage:
    """An encoded image, its MIME type and when (on the store clock) it expires."""

    data: bytes
    content_type: str
    expires_at: float


class ImageStore:
    """Images kept for ``ttl_seconds``, bounded by count and total size.

    When a put() would exceed ``max_items`` or ``max_bytes``, the oldest
    images are evicted first; expired images are purged lazily on put() and
    never returned by get(). An image larger than ``max_bytes`` on its own is
    still stored, alone, after evicting everything else (a URL response must
    not fail for want of room), so memory use is bounded by
    max(max_bytes, largest single image). ``clock`` must not go backwards.
    """

    def __init__(
        self,
        *,
        ttl_seconds: float,
        max_items: int,
        max_bytes: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Create an empty store; all limits must be positive."""
        if ttl_seconds <= 0 or max_items <= 0 or max_bytes <= 0:
            raise ValueError(
                "ttl_seconds, max_items and max_bytes must be positive: "
                f"{ttl_seconds}, {max_items}, {max_bytes}"
            )
        self._ttl = ttl_seconds
        self._max_items = max_items
        self._max_bytes = max_bytes
        self._clock = clock
        self._lock = threading.Lock()
        # Insertion order is expiry order, because the TTL is the same for all.
        self._images: OrderedDict[str, StoredImage] = OrderedDict()
        self._total_bytes = 0

    def put(self, data: bytes, content_type: str) -> str:
        """Store ``data`` and return its new random, URL-safe id."""
        with self._lock:
            now = self._clock()
            while self._images and next(iter(self._images.values())).expires_at <= now:
                self._pop_oldest()
            while self._images and (
                len(self._images) >= self._max_items
                or self._total_bytes + len(data) > self._max_bytes
            ):
                self._pop_oldest()
            image_id = secrets.token_urlsafe(_ID_BYTES)
            while image_id in self._images:
                image_id = secrets.token_urlsafe(_ID_BYTES)
            self._images[image_id] = StoredImage(data, content_type, now + self._ttl)
            self._total_bytes += len(data)
            return image_id

    def get(self, image_id: str) -> StoredImage | None:
        """Return the image stored under ``image_id``, or None if unknown or expired."""
        if not _ID_PATTERN.fullmatch(image_id):
            return None
        with self._lock:
            image = self._images.get(image_id)
            if image is None:
                return None
            if self._clock() >= image.expires_at:
                del self._images[image_id]
                self._total_bytes -= len(image.data)
                return None
            return image

    @property
    def total_bytes(self) -> int:
        """Total size of the stored images (expired ones included until purged)."""
        with self._lock:
            return self._total_bytes

    def __len__(self) -> int:
        """Return the number of stored images (expired ones included until purged)."""
        with self._lock:
            return len(self._images)

    def _pop_oldest(self) -> None:
        _, image = self._images.popitem(last=False)
        self._total_bytes -= len(image.data)
