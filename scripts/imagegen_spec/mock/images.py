"""Deterministic placeholder pictures whose cost does not depend on the prompt.

A picture is named by an `ImageSpec`: a seed (a hash of the prompt), the index within `n`, the
size, the format, transparency and the JPEG/WebP quality. Identical specs give byte-identical
output in every process with the same Pillow build, so a `url` can carry the spec instead of
the image.

The expensive part, drawing and encoding the pixels, depends only on the size, the format, the
quality and one of a few `LAYOUTS`, and is prepared once and kept in a bounded cache; the seed
then changes a few hundred bytes:

- PNG is an indexed (palette) image. Its compressed pixel data (`IDAT`) is prepared once per
  size and layout; the palette (`PLTE`) is derived from the seed, and a transparent background
  is a `tRNS` entry (alpha 0 for the background's palette entries, 255 for the shapes). So
  every prompt gets its own colours for a few hundred bytes of work.
- JPEG and WebP cannot change colours without re-encoding, so they are prepared per layout and
  per one of `LOOKS` colour schemes, and the seed goes into a metadata segment (a JPEG comment,
  a WebP XMP chunk) written over a fixed-length placeholder.

`is_prepared` tells whether a spec renders from the cache; the server renders the others off its
event loop.
"""

from __future__ import annotations

import colorsys
import hashlib
import io
import random
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PIL import Image, ImageDraw

MAX_SIDE = 4096
"""Largest accepted width or height, a guard against huge allocations."""

DEFAULT_COMPRESSION = 100
"""Quality when the request has no compression setting (the spec's default applies otherwise)."""

CACHE_SIZE = 64
"""Prepared (drawn and encoded) pictures kept per kind (PNG; JPEG and WebP), least recent out."""

LAYOUTS = 4
"""Arrangements of background and shapes; the seed picks one."""
LOOKS = 8
"""JPEG and WebP pictures: layouts times colour schemes prepared per size and quality."""

SEED_BYTES = 16

_CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
_BACKGROUND_LEVELS = 192
"""Palette entries 0..191 are the background ramp; 192..255 the shapes' fills and outlines."""
_LEVELS = range(_BACKGROUND_LEVELS)
_SHAPE_COLOURS = 5
_OUTLINE_OFFSET = 32
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SEED_HEX = "0" * (2 * SEED_BYTES + 8)
"""The seed and index in hex (16 bytes and 4), as written into JPEG and WebP metadata."""
_JPEG_COMMENT = f"imagegen-mock {_SEED_HEX}".encode("ascii")
_WEBP_XMP = (
    '<x:xmpmeta xmlns:x="adobe:ns:meta/"><imagegen-mock seed="' + _SEED_HEX + '"/></x:xmpmeta>'
).encode("ascii")

_RGB = tuple[int, int, int]
_Value = TypeVar("_Value")


@dataclass(frozen=True, slots=True)
class ImageSpec:
    """Everything that determines one picture's bytes."""

    seed: bytes
    index: int
    width: int
    height: int
    image_format: str
    transparent: bool = False
    compression: int | None = None
    block: int = 1
    """The side in pixels of the squares a coarse version (a stream's partial image) is drawn in
    (1: the picture itself); each square takes one colour of the picture sampled inside it."""

    def __post_init__(self) -> None:
        """Reject what cannot be rendered, naming it."""
        content_type(self.image_format)
        if len(self.seed) != SEED_BYTES:
            raise ValueError(f"seed must be {SEED_BYTES} bytes, not {len(self.seed)}")
        if self.transparent and self.image_format == "jpeg":
            raise ValueError("jpeg cannot be transparent")
        if not (1 <= self.width <= MAX_SIDE and 1 <= self.height <= MAX_SIDE):
            raise ValueError(f"size must be within 1..{MAX_SIDE}: {self.width}x{self.height}")
        if self.index < 0:
            raise ValueError(f"index must not be negative: {self.index}")
        if self.compression is not None and not 0 <= self.compression <= 100:
            raise ValueError(f"compression must be within 0..100: {self.compression}")
        if self.block < 1:
            raise ValueError(f"block must be at least 1: {self.block}")

    @property
    def quality(self) -> int | None:
        """The JPEG/WebP quality (None for png, which is lossless)."""
        if self.image_format == "png":
            return None
        return DEFAULT_COMPRESSION if self.compression is None else self.compression


def prompt_seed(prompt: str) -> bytes:
    """The seed of a prompt's pictures: a BLAKE2b hash (any string, lone surrogates too)."""
    encoded = prompt.encode("utf-8", "surrogatepass")
    return hashlib.blake2b(encoded, digest_size=SEED_BYTES, person=b"imagegen-mock").digest()


def content_type(image_format: str) -> str:
    """Return the MIME type of ``image_format`` ("png", "jpeg" or "webp")."""
    try:
        return _CONTENT_TYPES[image_format]
    except KeyError:
        raise ValueError(f"unsupported image format: {image_format!r}") from None


def render_image(
    prompt: str,
    width: int,
    height: int,
    image_format: str,
    *,
    transparent: bool,
    index: int = 0,
    compression: int | None = None,
) -> bytes:
    """Render picture ``index`` of ``prompt``, encoded as ``image_format`` (see `render`).

    Raises ValueError for an unknown format, transparent jpeg, a size outside 1..MAX_SIDE, a
    negative index or a compression outside 0..100.
    """
    spec = ImageSpec(
        prompt_seed(prompt), index, width, height, image_format, transparent, compression
    )
    return render(spec)


def render(spec: ImageSpec) -> bytes:
    """The encoded picture of a spec; cheap once `is_prepared(spec)`, else it prepares it first."""
    digest = _digest(spec)
    if spec.image_format == "png":
        prepared_png = _PNGS.get(_png_key(spec), lambda: _prepare_png(spec))
        return _png_with_palette(prepared_png, digest, spec.transparent)
    prepared = _ENCODED.get(_look_key(spec, digest), lambda: _prepare_encoded(spec, digest))
    return prepared.stamped(digest)


def is_prepared(spec: ImageSpec) -> bool:
    """Tell whether `render(spec)` costs only a few hundred bytes of work (its base is cached)."""
    if spec.image_format == "png":
        return _png_key(spec) in _PNGS
    return _look_key(spec, _digest(spec)) in _ENCODED


def prepared_count() -> int:
    """How many prepared pictures are kept (at most CACHE_SIZE per kind, PNG and the others)."""
    return len(_PNGS) + len(_ENCODED)


def clear_cache() -> None:
    """Drop every prepared picture."""
    _PNGS.clear()
    _ENCODED.clear()


class _BoundedCache(Generic[_Value]):
    """A thread-safe least-recently-used cache that tells whether a key is in it.

    functools.lru_cache cannot answer "would this call be cheap?", which the server asks to
    decide whether to render on its event loop. Two threads missing the same key both compute
    it; the results are identical, so either may stay.
    """

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[Hashable, _Value] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._items

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def get(self, key: Hashable, compute: Callable[[], _Value]) -> _Value:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


@dataclass(frozen=True, slots=True)
class _PreparedPng:
    header: bytes
    """The signature and the IHDR chunk (8-bit palette)."""
    data: bytes
    """The IDAT and IEND chunks."""


@dataclass(frozen=True, slots=True)
class _PreparedEncoded:
    data: bytes
    seed_at: int
    """Where the placeholder seed starts in `data`."""

    def stamped(self, digest: bytes) -> bytes:
        seed_hex = digest.hex().encode("ascii")
        return self.data[: self.seed_at] + seed_hex + self.data[self.seed_at + len(seed_hex) :]


_PNGS: _BoundedCache[_PreparedPng] = _BoundedCache(CACHE_SIZE)
_ENCODED: _BoundedCache[_PreparedEncoded] = _BoundedCache(CACHE_SIZE)


def _digest(spec: ImageSpec) -> bytes:
    """The seed and index together (what tells two pictures of one request apart)."""
    return spec.seed + spec.index.to_bytes(4, "big")


def _png_key(spec: ImageSpec) -> Hashable:
    return ("png", spec.width, spec.height, _layout(_digest(spec)), spec.block)


def _look_key(spec: ImageSpec, digest: bytes) -> Hashable:
    look = _choice(digest, LOOKS)
    key = (spec.image_format, spec.width, spec.height, spec.transparent, spec.quality, look)
    return (*key, spec.block)


def _choice(digest: bytes, count: int) -> int:
    return int.from_bytes(hashlib.blake2b(digest, digest_size=4).digest(), "big") % count


def _layout(digest: bytes) -> int:
    return _choice(digest, LOOKS) % LAYOUTS


def _prepare_png(spec: ImageSpec) -> _PreparedPng:
    picture = _coarse(_indexed_picture(spec.width, spec.height, _layout(_digest(spec))), spec.block)
    picture.putpalette(_palette(b"\x00"))
    out = io.BytesIO()
    picture.save(out, format="PNG", compress_level=6)
    chunks = _png_chunks(out.getvalue())
    header = _PNG_SIGNATURE + b"".join(c for kind, c in chunks if kind == b"IHDR")
    data = b"".join(c for kind, c in chunks if kind in (b"IDAT", b"IEND"))
    return _PreparedPng(header, data)


def _prepare_encoded(spec: ImageSpec, digest: bytes) -> _PreparedEncoded:
    look = _choice(digest, LOOKS)
    picture = _coarse(_indexed_picture(spec.width, spec.height, look % LAYOUTS), spec.block)
    picture.putpalette(_palette(bytes([look])))
    out = io.BytesIO()
    if spec.image_format == "jpeg":
        picture.convert("RGB").save(out, format="JPEG", quality=spec.quality, comment=_JPEG_COMMENT)
        placeholder = _JPEG_COMMENT
    else:
        if spec.transparent:
            picture.info["transparency"] = _transparency()
            rgb = picture.convert("RGBA")
        else:
            rgb = picture.convert("RGB")
        rgb.save(out, format="WEBP", quality=spec.quality, method=0, xmp=_WEBP_XMP)
        placeholder = _WEBP_XMP
    data = out.getvalue()
    at = data.find(placeholder)
    if at < 0:
        raise RuntimeError(f"Pillow did not write the {spec.image_format} metadata segment")
    return _PreparedEncoded(data, at + placeholder.index(_SEED_HEX.encode("ascii")))


def _png_with_palette(prepared: _PreparedPng, digest: bytes, transparent: bool) -> bytes:
    parts = [prepared.header, _png_chunk(b"PLTE", _palette(digest))]
    if transparent:
        parts.append(_png_chunk(b"tRNS", _transparency()))
    parts.append(prepared.data)
    return b"".join(parts)


def _transparency() -> bytes:
    """Alpha per palette entry: the background clear, the shapes opaque."""
    return bytes(_BACKGROUND_LEVELS) + b"\xff" * (256 - _BACKGROUND_LEVELS)


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split an encoded PNG into (type, whole chunk) pairs."""
    chunks = []
    position = len(_PNG_SIGNATURE)
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        chunks.append((kind, data[position:end]))
        position = end
    return chunks


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(data, zlib.crc32(kind))
    return b"".join((struct.pack(">I", len(data)), kind, data, struct.pack(">I", checksum)))


def _hsv(hue: float, saturation: float, value: float) -> _RGB:
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def _palette(digest: bytes) -> bytes:
    """256 RGB entries from a digest: a two-colour background ramp, then the shapes' colours."""
    # Each byte of a hash of the digest is one uniform draw (random.Random costs more to seed
    # than this whole function).
    draws = iter([byte / 255 for byte in hashlib.blake2b(digest, digest_size=20).digest()])

    def uniform(low: float, high: float) -> float:
        return low + (high - low) * next(draws)

    hue = next(draws)
    start = _hsv(hue, uniform(0.5, 0.9), uniform(0.15, 0.35))
    end = _hsv(hue + uniform(-0.2, 0.2), uniform(0.2, 0.6), 0.95)
    last = _BACKGROUND_LEVELS - 1
    ramp = bytearray(3 * _BACKGROUND_LEVELS)
    for channel, (a, b) in enumerate(zip(start, end, strict=True)):
        ramp[channel::3] = bytes([(a * (last - level) + b * level) // last for level in _LEVELS])
    spread = uniform(0.08, 0.4)
    fills = [
        _hsv(hue + spread * i, uniform(0.5, 0.9), uniform(0.6, 1.0)) for i in range(_SHAPE_COLOURS)
    ]
    shape_entries = [(0, 0, 0)] * (256 - _BACKGROUND_LEVELS)
    for number, fill in enumerate(fills):
        shape_entries[number] = fill
        shape_entries[_OUTLINE_OFFSET + number] = (fill[0] // 3, fill[1] // 3, fill[2] // 3)
    return bytes(ramp) + bytes(channel for entry in shape_entries for channel in entry)


def _indexed_picture(width: int, height: int, layout: int) -> Image.Image:
    """A palette picture ("P"): a background ramp in a layout's direction, then its shapes."""
    rng = random.Random(f"imagegen-mock layout {layout}")
    vertical = Image.linear_gradient("L")
    if layout == 0:
        ramp = Image.radial_gradient("L")
    else:
        # Blending a vertical and a horizontal ramp tilts the gradient.
        horizontal = vertical.transpose(Image.Transpose.ROTATE_90)
        ramp = Image.blend(vertical, horizontal, rng.random())
    if rng.random() < 0.5:
        ramp = ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    last = _BACKGROUND_LEVELS - 1
    levels = ramp.point([level * last // 255 for level in range(256)])
    resized = levels.resize((width, height), Image.Resampling.NEAREST)
    picture = Image.frombytes("P", resized.size, resized.tobytes())
    _draw_shapes(ImageDraw.Draw(picture), rng, width, height)
    return picture


def _draw_shapes(draw: ImageDraw.ImageDraw, rng: random.Random, width: int, height: int) -> None:
    # At most 6 shapes of at most 30% x 30% each cover at most 54% of the
    # picture, so some background always stays visible (and transparent).
    outline_width = max(1, min(width, height) // 200)
    for _ in range(rng.randint(3, 6)):
        kind = rng.randrange(4)
        half_w = rng.uniform(0.06, 0.15) * width
        half_h = rng.uniform(0.06, 0.15) * height
        cx = rng.uniform(0, width)
        cy = rng.uniform(0, height)
        box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        colour = rng.randrange(_SHAPE_COLOURS)
        fill = _BACKGROUND_LEVELS + colour
        outline = fill + _OUTLINE_OFFSET
        if kind == 0:
            draw.ellipse(box, fill=fill, outline=outline, width=outline_width)
        elif kind == 1:
            draw.rectangle(box, fill=fill, outline=outline, width=outline_width)
        elif kind == 2:
            radius = min(half_w, half_h) / 2
            draw.rounded_rectangle(
                box, radius=radius, fill=fill, outline=outline, width=outline_width
            )
        else:
            draw.regular_polygon(
                (cx, cy, min(half_w, half_h)),
                rng.randint(3, 8),
                rotation=rng.uniform(0, 360),
                fill=fill,
                outline=outline,
                width=outline_width,
            )


def _coarse(picture: Image.Image, block: int) -> Image.Image:
    """The picture drawn in `block`-pixel squares (itself for 1): what a partial image shows.

    Nearest-neighbour sampling keeps the palette indices, so the coarse picture takes the same
    palette (and transparency) as the final one.
    """
    if block == 1:
        return picture
    width, height = picture.size
    small = picture.resize((-(-width // block), -(-height // block)), Image.Resampling.NEAREST)
    coarse = small.resize((small.width * block, small.height * block), Image.Resampling.NEAREST)
    return coarse.crop((0, 0, width, height))
