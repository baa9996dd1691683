"""Stateless image URLs: each names the picture it serves, its expiry, and an HMAC signature.

A `url` image is never stored. Its URL holds what renders it again (the variant, the prompt's
seed, the index within `n`, size, format, background and quality) and when it expires, signed
with the server's secret (HMAC-SHA256), in the manner of the providers' own signed blob URLs
(an expiry `se` and a signature `sig` in the query):

    {public}/_mock/images/dalle/img-<seed>-<index>.png?size=1024x1024&bg=opaque&se=<ms>&sig=<mac>

So any worker or replica that shares the secret serves any URL another one signed until it
expires, never after, memory stays flat however many URLs exist, and a URL cannot be altered
to render something else (a changed character breaks the signature).
"""

from __future__ import annotations

import binascii
import hmac
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from imagegen_spec.mock.images import SEED_BYTES, ImageSpec

IMAGES_PATH = "/_mock/images/"
URL_SECRET_ENV = "IMAGEGEN_MOCK_URL_SECRET"
"""The environment variable `--url-secret` defaults to, so workers and replicas can share it."""

_EXTENSIONS = {"png": "png", "jpeg": "jpg", "webp": "webp"}
_FORMATS = {extension: image_format for image_format, extension in _EXTENSIONS.items()}
_NAME = re.compile(
    r"(?P<variant>[A-Za-z0-9_-]+)/img-(?P<seed>[0-9a-f]{"
    + str(2 * SEED_BYTES)
    + r"})-(?P<index>0|[1-9][0-9]{0,5})\.(?P<extension>[a-z]+)"
)
_SIZE = re.compile(r"([1-9][0-9]{0,4})x([1-9][0-9]{0,4})")
_QUALITY = re.compile(r"0|[1-9][0-9]{0,2}")
_EXPIRY = re.compile(r"[1-9][0-9]{0,15}")
_BACKGROUNDS = {"opaque": False, "transparent": True}
_URLSAFE = bytes.maketrans(b"+/", b"-_")
"""base64's URL-safe alphabet (what `base64.urlsafe_b64encode` does, in one step)."""


@dataclass(frozen=True, slots=True)
class SignedImage:
    """What a valid URL names: the variant that made it and the picture."""

    variant: str
    spec: ImageSpec


@dataclass(frozen=True, slots=True)
class RejectedUrl:
    """Why a URL is served no image; `variant` when the URL names a known shape of one."""

    reason: str
    variant: str | None = None


class UrlSigner:
    """Makes and checks signed image URLs with one secret and one lifetime."""

    def __init__(
        self, secret: bytes, ttl_seconds: float, clock: Callable[[], float] = time.time
    ) -> None:
        """`secret` signs (any length; 32 random bytes are plenty); URLs live `ttl_seconds`."""
        self._mac = hmac.new(secret, digestmod="sha256")
        """Keyed once: a copy per URL skips re-deriving the key's inner and outer pads."""
        self._ttl_ms = round(ttl_seconds * 1000)
        self._clock = clock

    def url(self, origin: str, variant: str, spec: ImageSpec) -> str:
        """The signed URL of one picture, below a server's public origin."""
        expires = int(self._clock() * 1000) + self._ttl_ms
        unsigned = _canonical(variant, spec, expires)
        return f"{origin}{IMAGES_PATH}{unsigned}&sig={self._signature(unsigned)}"

    def read(self, name: str, query: str) -> SignedImage | RejectedUrl:
        """The picture a URL names (`name`: its path below IMAGES_PATH), or why it is refused."""
        found = _NAME.fullmatch(name)
        if found is None or found["extension"] not in _FORMATS:
            return RejectedUrl("no image has this address")
        variant = found["variant"]
        fields = dict(parse_qsl(query, keep_blank_values=True))
        try:
            spec, expires = _parse(found, fields)
        except ValueError as error:
            return RejectedUrl(f"the image address is malformed ({error})", variant)
        unsigned = _canonical(variant, spec, expires)
        signature = fields.get("sig", "")
        # Only the exact URL this server wrote is served: no extra, repeated or reordered field.
        if f"{name}?{query}" != f"{unsigned}&sig={signature}" or not hmac.compare_digest(
            signature, self._signature(unsigned)
        ):
            return RejectedUrl("the image address is not one this server signed", variant)
        if self._clock() * 1000 >= expires:
            return RejectedUrl("the image address has expired", variant)
        return SignedImage(variant, spec)

    def _signature(self, unsigned: str) -> str:
        mac = self._mac.copy()
        mac.update(unsigned.encode("ascii"))
        encoded = binascii.b2a_base64(mac.digest(), newline=False).translate(_URLSAFE)
        return encoded.rstrip(b"=").decode("ascii")


def _canonical(variant: str, spec: ImageSpec, expires: int) -> str:
    """The URL below IMAGES_PATH without its signature: exactly what is signed."""
    name = f"{variant}/img-{spec.seed.hex()}-{spec.index}.{_EXTENSIONS[spec.image_format]}"
    query = f"size={spec.width}x{spec.height}&bg={'transparent' if spec.transparent else 'opaque'}"
    if spec.compression is not None:
        query += f"&q={spec.compression}"
    return f"{name}?{query}&se={expires}"


def _parse(found: re.Match[str], fields: dict[str, str]) -> tuple[ImageSpec, int]:
    size = _SIZE.fullmatch(fields.get("size", ""))
    background = fields.get("bg", "")
    expires = fields.get("se", "")
    quality = fields.get("q")
    if size is None:
        raise ValueError("size")
    if background not in _BACKGROUNDS:
        raise ValueError("bg")
    if _EXPIRY.fullmatch(expires) is None:
        raise ValueError("se")
    if quality is not None and _QUALITY.fullmatch(quality) is None:
        raise ValueError("q")
    spec = ImageSpec(
        seed=bytes.fromhex(found["seed"]),
        index=int(found["index"]),
        width=int(size[1]),
        height=int(size[2]),
        image_format=_FORMATS[found["extension"]],
        transparent=_BACKGROUNDS[background],
        compression=None if quality is None else int(quality),
    )
    return spec, int(expires)
