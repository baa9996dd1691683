"""Deterministic placeholder pictures for the mock image-generation server.

A picture is derived only from a BLAKE2b hash of the prompt and the image
index (no clock, no unseeded randomness), so identical arguments give
byte-identical output in every process that uses the same Pillow build.
"""

from __future__ import annotations

import colorsys
import functools
import hashlib
import io
import random
import struct
import zlib

from PIL import Image, ImageDraw, ImageFont

MAX_SIDE = 4096
"""Largest accepted width or height, a guard against huge allocations."""

DEFAULT_COMPRESSION = 100
"""Quality when the request has no compression setting (the spec's default applies otherwise)."""

CACHE_SIZE = 64
"""Number of encoded images kept by the LRU cache behind render_image()."""

_CONTENT_TYPES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
_MAX_TEXT_CHARS = 2000
_MAX_TEXT_LINES = 3
_ELLIPSIS = "..."
_PNG_BLOCK_ROWS = 32

_RGB = tuple[int, int, int]
_Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


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
    """Render one picture for ``prompt`` and return it encoded as ``image_format``.

    Colours and shapes come from a hash of the prompt (palette) and of the
    prompt plus ``index`` (shapes), and the prompt text is drawn along the
    bottom edge. ``transparent`` gives an RGBA picture whose background has
    alpha 0 (png and webp only). ``compression`` (0-100, higher is better
    quality, None means DEFAULT_COMPRESSION) is the JPEG/WebP quality; png
    ignores it. Results are memoised in a bounded LRU cache of CACHE_SIZE
    entries, so memory use is at most CACHE_SIZE encoded images.

    Raises ValueError for an unknown format, transparent jpeg, a size outside
    1..MAX_SIDE, a negative index or a compression outside 0..100.
    """
    content_type(image_format)
    if transparent and image_format == "jpeg":
        raise ValueError("jpeg cannot be transparent")
    if not (1 <= width <= MAX_SIDE and 1 <= height <= MAX_SIDE):
        raise ValueError(f"size must be within 1..{MAX_SIDE}: {width}x{height}")
    if index < 0:
        raise ValueError(f"index must not be negative: {index}")
    if compression is not None and not 0 <= compression <= 100:
        raise ValueError(f"compression must be within 0..100: {compression}")
    if image_format == "png":
        compression = None
    return _render_cached(prompt, width, height, image_format, transparent, index, compression)


def clear_cache() -> None:
    """Drop every picture memoised by render_image()."""
    _render_cached.cache_clear()


@functools.lru_cache(maxsize=CACHE_SIZE)
def _render_cached(
    prompt: str,
    width: int,
    height: int,
    image_format: str,
    transparent: bool,
    index: int,
    compression: int | None,
) -> bytes:
    return _render(prompt, width, height, image_format, transparent, index, compression)


def _render(
    prompt: str,
    width: int,
    height: int,
    image_format: str,
    transparent: bool,
    index: int,
    compression: int | None,
) -> bytes:
    """Draw and encode without caching or argument validation."""
    image = _draw(prompt, width, height, transparent, index)
    quality = DEFAULT_COMPRESSION if compression is None else compression
    if image_format == "png":
        return _encode_png(image)
    out = io.BytesIO()
    if image_format == "jpeg":
        image.save(out, format="JPEG", quality=quality)
    else:
        image.save(out, format="WEBP", quality=quality, method=0)
    return out.getvalue()


def _encode_png(image: Image.Image) -> bytes:
    """Encode an RGB or RGBA picture as PNG: unfiltered rows, zlib level 1.

    Pillow's PNG encoder tries every row filter on every row, which costs
    more than drawing the whole picture; these flat, smooth pictures compress
    almost as well without filters.
    """
    raw = memoryview(image.tobytes())
    stride = image.width * len(image.getbands())
    block = stride * _PNG_BLOCK_ROWS
    compressor = zlib.compressobj(1)
    compressed = []
    # Filtering and compressing a few rows at a time avoids a second
    # full-size buffer, whose fresh pages cost more than the compression.
    for first in range(0, len(raw), block):
        rows = b"".join(
            part
            for start in range(first, min(first + block, len(raw)), stride)
            for part in (b"\x00", raw[start : start + stride])
        )
        compressed.append(compressor.compress(rows))
    compressed.append(compressor.flush())
    colour_type = 6 if image.mode == "RGBA" else 2
    header = struct.pack(">IIBBBBB", image.width, image.height, 8, colour_type, 0, 0, 0)
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            _png_chunk(b"IHDR", header),
            _png_chunk(b"IDAT", b"".join(compressed)),
            _png_chunk(b"IEND", b""),
        )
    )


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    checksum = zlib.crc32(data, zlib.crc32(kind))
    return b"".join((struct.pack(">I", len(data)), kind, data, struct.pack(">I", checksum)))


def _rng(*parts: str) -> random.Random:
    """Return a generator seeded from a hash of ``parts`` (length-prefixed)."""
    digest = hashlib.blake2b(digest_size=32, person=b"imagegen-mock")
    for part in parts:
        encoded = part.encode("utf-8", "surrogatepass")
        digest.update(len(encoded).to_bytes(8, "big"))
        digest.update(encoded)
    return random.Random(int.from_bytes(digest.digest(), "big"))


def _hsv(hue: float, saturation: float, value: float) -> _RGB:
    red, green, blue = colorsys.hsv_to_rgb(hue % 1.0, saturation, value)
    return round(red * 255), round(green * 255), round(blue * 255)


def _background(rng: random.Random, size: tuple[int, int], hue: float) -> Image.Image:
    """Return an RGB two-colour gradient of ``size`` in a hashed direction."""
    vertical = Image.linear_gradient("L")
    if rng.random() < 0.25:
        ramp = Image.radial_gradient("L")
    else:
        # Blending a vertical and a horizontal ramp tilts the gradient.
        horizontal = vertical.transpose(Image.Transpose.ROTATE_90)
        ramp = Image.blend(vertical, horizontal, rng.random())
    if rng.random() < 0.5:
        ramp = ramp.transpose(Image.Transpose.FLIP_TOP_BOTTOM)
    start = _hsv(hue, rng.uniform(0.5, 0.9), rng.uniform(0.15, 0.35))
    end = _hsv(hue + rng.uniform(-0.2, 0.2), rng.uniform(0.2, 0.6), 0.95)
    # Upscaling one 8-bit channel and mapping it through a palette is several
    # times faster than resizing or colourising a full RGB picture; NEAREST
    # is fine because neighbouring levels differ by at most a few units.
    palette = [
        round(a + (b - a) * level / 255)
        for level in range(256)
        for a, b in zip(start, end, strict=True)
    ]
    ramp = ramp.resize(size, Image.Resampling.NEAREST)
    ramp.putpalette(palette)
    return ramp.convert("RGB")


def _draw(prompt: str, width: int, height: int, transparent: bool, index: int) -> Image.Image:
    """Build the picture (RGB, or RGBA with a fully transparent background)."""
    palette_rng = _rng("palette", prompt)
    hue = palette_rng.random()
    spread = palette_rng.uniform(0.08, 0.4)
    colours = [
        _hsv(
            hue + spread * i,
            palette_rng.uniform(0.5, 0.9),
            palette_rng.uniform(0.6, 1.0),
        )
        for i in range(5)
    ]
    size = (width, height)
    if transparent:
        image = Image.new("RGBA", size, (0, 0, 0, 0))
    else:
        image = _background(palette_rng, size, hue)
    draw = ImageDraw.Draw(image)
    _draw_shapes(draw, _rng("shapes", prompt, str(index)), width, height, colours)
    _draw_text(draw, prompt, index, width, height, _hsv(hue, 0.6, 0.18))
    return image


def _draw_shapes(
    draw: ImageDraw.ImageDraw,
    rng: random.Random,
    width: int,
    height: int,
    colours: list[_RGB],
) -> None:
    # At most 6 shapes of at most 30% x 30% each cover at most 54% of the
    # picture, so some background always stays visible (and transparent).
    outline_width = max(1, min(width, height) // 200)
    for _ in range(rng.randint(3, 6)):
        kind = rng.randrange(4)
        half_w = rng.uniform(0.06, 0.15) * width
        half_h = rng.uniform(0.06, 0.15) * height
        cx = rng.uniform(0, width)
        cy = rng.uniform(0, height * 0.8)
        box = (cx - half_w, cy - half_h, cx + half_w, cy + half_h)
        fill = (*rng.choice(colours), 255)
        outline = (*(channel // 3 for channel in fill[:3]), 255)
        if kind == 0:
            draw.ellipse(box, fill=fill, outline=outline, width=outline_width)
        elif kind == 1:
            draw.rectangle(box, fill=fill, outline=outline, width=outline_width)
        elif kind == 2:
            draw.rounded_rectangle(
                box,
                radius=min(half_w, half_h) / 2,
                fill=fill,
                outline=outline,
                width=outline_width,
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


def _draw_text(
    draw: ImageDraw.ImageDraw,
    prompt: str,
    index: int,
    width: int,
    height: int,
    band_colour: _RGB,
) -> None:
    """Draw an index label and the wrapped prompt on a band at the bottom."""
    font_size = max(10, min(width, height) // 28)
    line_height = font_size * 5 // 4
    pad = font_size // 2
    if _MAX_TEXT_LINES * line_height + 2 * pad > height // 4 or width < 8 * font_size:
        return
    font = ImageFont.load_default(size=font_size)
    draw.text(
        (pad, pad),
        f"#{index + 1}",
        font=font,
        fill=(255, 255, 255, 255),
        stroke_width=max(1, font_size // 12),
        stroke_fill=(0, 0, 0, 255),
    )
    lines = _wrap(prompt, font, width - 2 * pad, _MAX_TEXT_LINES)
    if not lines:
        return
    top = height - len(lines) * line_height - 2 * pad
    draw.rectangle((0, top, width, height), fill=(*band_colour, 255))
    for number, line in enumerate(lines):
        position = (pad, top + pad + number * line_height)
        draw.text(position, line, font=font, fill=(245, 245, 245, 255))


def _wrap(text: str, font: _Font, max_width: float, max_lines: int) -> list[str]:
    """Greedily wrap ``text``; a cut-off text ends with an ellipsis."""
    words = text[:_MAX_TEXT_CHARS].split()
    lines: list[str] = []
    line = ""
    pos = 0
    while pos < len(words) and len(lines) < max_lines:
        candidate = f"{line} {words[pos]}" if line else words[pos]
        if font.getlength(candidate) <= max_width:
            line = candidate
            pos += 1
        elif line:
            lines.append(line)
            line = ""
        else:
            head = _fit(words[pos], font, max_width)
            lines.append(head)
            words[pos] = words[pos][len(head) :]
    if line:
        lines.append(line)
    if lines and (pos < len(words) or len(text) > _MAX_TEXT_CHARS):
        last = lines[-1]
        while last and font.getlength(last + _ELLIPSIS) > max_width:
            last = last[:-1]
        lines[-1] = last.rstrip() + _ELLIPSIS
    return lines


def _fit(word: str, font: _Font, max_width: float) -> str:
    """Return the longest prefix of ``word`` that fits (at least one char)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if font.getlength(word[:middle]) <= max_width:
            low = middle
        else:
            high = middle - 1
    return word[:low]
