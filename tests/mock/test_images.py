"""Tests of the deterministic placeholder-image renderer."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from imagegen_spec.mock import images
from imagegen_spec.mock.images import (
    ImageSpec,
    content_type,
    is_prepared,
    prompt_seed,
    render,
    render_image,
)

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
PROMPT = "A watercolour lighthouse on a cliff at dusk, gulls circling overhead"
FORMATS = ["png", "jpeg", "webp"]
PIL_FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
SIZES = [(1024, 1024), (1536, 1024), (1024, 1536), (1792, 1024), (1024, 1792), (256, 256)]


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def has_alpha(image: Image.Image) -> bool:
    """Whether a decoded picture carries transparency (an alpha band or a tRNS palette)."""
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def differing_fraction(first: Image.Image, second: Image.Image) -> float:
    """Fraction of pixels whose colour differs between two same-sized pictures."""
    first, second = first.convert("RGB"), second.convert("RGB")
    mask = ImageChops.difference(first, second).convert("L").point(lambda v: 255 if v else 0)
    return mask.histogram()[255] / (first.width * first.height)


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
@pytest.mark.parametrize("image_format", FORMATS)
def test_decodes_to_requested_size_and_format(image_format: str, size: tuple[int, int]) -> None:
    image = decode(render_image(PROMPT, *size, image_format, transparent=False))
    assert image.format == PIL_FORMATS[image_format], (
        f"expected {PIL_FORMATS[image_format]} data, Pillow decoded {image.format}"
    )
    assert image.size == size, f"expected size {size}, got {image.size}"


@pytest.mark.parametrize("size", [(1, 1), (7, 3), (40, 900), (900, 40), (64, 64)])
def test_tiny_and_thin_sizes_still_render(size: tuple[int, int]) -> None:
    image = decode(render_image(PROMPT, *size, "png", transparent=True))
    assert image.size == size, f"expected size {size}, got {image.size}"


@pytest.mark.parametrize("image_format", ["png", "webp"])
def test_transparent_has_clear_background_and_opaque_shapes(image_format: str) -> None:
    image = decode(render_image(PROMPT, 512, 512, image_format, transparent=True))
    assert has_alpha(image), f"expected a transparent {image_format}, got mode {image.mode}"
    alpha = image.convert("RGBA").getchannel("A").histogram()
    assert alpha[0] > 0.3 * 512 * 512, (
        f"expected a large alpha-0 background, got {alpha[0]} clear pixels"
    )
    assert alpha[255] > 0.05 * 512 * 512, (
        f"expected opaque shapes and text, got {alpha[255]} opaque pixels"
    )


@pytest.mark.parametrize("image_format", FORMATS)
def test_opaque_images_have_no_alpha(image_format: str) -> None:
    image = decode(render_image(PROMPT, 256, 256, image_format, transparent=False))
    assert not has_alpha(image), f"expected an opaque {image_format}, got mode {image.mode}"
    alpha = image.convert("RGBA").getchannel("A").histogram()
    assert alpha[255] == 256 * 256, "expected every pixel of an opaque picture to be opaque"


@pytest.mark.parametrize("image_format", FORMATS)
def test_same_arguments_give_same_bytes(image_format: str) -> None:
    first = render_image(PROMPT, 512, 256, image_format, transparent=False, index=1)
    images.clear_cache()
    second = render_image(PROMPT, 512, 256, image_format, transparent=False, index=1)
    assert first == second, f"expected identical {image_format} bytes for identical arguments"


CHILD = """
import hashlib, json, sys
from imagegen_spec.mock.images import render_image
args = json.loads(sys.argv[1])
print(json.dumps([
    hashlib.sha256(
        render_image(p, w, h, f, transparent=t, index=i, compression=c)
    ).hexdigest()
    for p, w, h, f, t, i, c in args
]))
"""


def test_same_arguments_give_same_bytes_in_a_fresh_process() -> None:
    cases = [
        ("Ünïcødé prompt ✨ with emoji 🦦", 300, 200, "png", True, 0, None),
        (PROMPT, 256, 384, "jpeg", False, 2, 60),
        (PROMPT, 384, 256, "webp", True, 1, 80),
    ]
    expected = [
        hashlib.sha256(render_image(p, w, h, f, transparent=t, index=i, compression=c)).hexdigest()
        for p, w, h, f, t, i, c in cases
    ]
    python_path = os.pathsep.join(filter(None, [str(SCRIPTS), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": python_path, "PYTHONHASHSEED": "4242"}
    child = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(cases)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert child.returncode == 0, f"expected the child to succeed, stderr: {child.stderr}"
    assert json.loads(child.stdout) == expected, (
        "expected a fresh process (other hash seed) to render byte-identical images"
    )


def test_different_prompts_give_visibly_different_pictures() -> None:
    first = decode(render_image("a red fox in the snow", 256, 256, "png", transparent=False))
    second = decode(render_image("a blue whale at sea", 256, 256, "png", transparent=False))
    fraction = differing_fraction(first, second)
    assert fraction > 0.5, f"expected most pixels to differ between prompts, {fraction:.0%} did"


def test_different_indexes_give_different_pictures() -> None:
    encoded = [render_image(PROMPT, 256, 256, "png", transparent=False, index=i) for i in range(4)]
    assert len(set(encoded)) == 4, "expected images 0..3 of one request to differ"
    fraction = differing_fraction(decode(encoded[0]), decode(encoded[1]))
    assert fraction > 0.05, f"expected visible differences between indexes, {fraction:.1%} differ"


@pytest.mark.parametrize(
    "prompt",
    [
        "",
        "   \n\t ",
        "word " * 10_000,
        "x" * 5_000,
        "lone surrogate \ud800 and emoji 🦦",
        "zero\x00byte",
    ],
    ids=["empty", "blank", "many-words", "one-long-word", "surrogate", "nul"],
)
def test_awkward_prompts_render(prompt: str) -> None:
    image = decode(render_image(prompt, 512, 512, "png", transparent=False))
    assert image.size == (512, 512), f"expected a 512x512 picture, got {image.size}"


@pytest.mark.parametrize("image_format", ["gif", "PNG", "jpg", ""])
def test_unknown_format_is_rejected(image_format: str) -> None:
    with pytest.raises(ValueError, match=repr(image_format)):
        render_image(PROMPT, 64, 64, image_format, transparent=False)
    with pytest.raises(ValueError, match=repr(image_format)):
        content_type(image_format)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"image_format": "jpeg", "transparent": True}, "transparent"),
        ({"width": 0}, "size"),
        ({"height": images.MAX_SIDE + 1}, "size"),
        ({"index": -1}, "index"),
        ({"compression": 101}, "compression"),
        ({"compression": -1, "image_format": "png"}, "compression"),
    ],
)
def test_invalid_arguments_are_rejected(arguments: dict[str, object], message: str) -> None:
    call: dict[str, object] = {
        "prompt": PROMPT,
        "width": 64,
        "height": 64,
        "image_format": "png",
        "transparent": False,
    }
    call.update(arguments)
    with pytest.raises(ValueError, match=message):
        render_image(**call)  # type: ignore[arg-type]


@pytest.mark.parametrize("image_format", ["jpeg", "webp"])
def test_compression_sets_quality(image_format: str) -> None:
    low = render_image(PROMPT, 512, 512, image_format, transparent=False, compression=10)
    high = render_image(PROMPT, 512, 512, image_format, transparent=False, compression=95)
    assert len(low) < len(high), (
        f"expected compression=10 to give a smaller {image_format} than compression=95, "
        f"got {len(low)} and {len(high)} bytes"
    )


def test_png_ignores_compression() -> None:
    low = render_image(PROMPT, 128, 128, "png", transparent=False, compression=0)
    high = render_image(PROMPT, 128, 128, "png", transparent=False, compression=100)
    assert low == high, "expected png output not to depend on compression"


def test_content_types() -> None:
    got = {image_format: content_type(image_format) for image_format in FORMATS}
    expected = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp"}
    assert got == expected, f"expected {expected}, got {got}"


def test_prepared_pictures_stay_bounded() -> None:
    images.clear_cache()
    for number in range(3 * images.CACHE_SIZE):
        render_image(PROMPT, 64 + number, 64, "png", transparent=False)
    kept = images.prepared_count()
    assert kept == images.CACHE_SIZE, f"expected {images.CACHE_SIZE} prepared pictures, got {kept}"


def png_chunks(data: bytes) -> dict[bytes, bytes]:
    chunks = images._png_chunks(data)
    return {kind: chunk for kind, chunk in chunks}


def prompts_covering_every_layout(count: int) -> list[str]:
    """Enough distinct prompts that every layout was prepared, then `count` new ones."""
    return [f"prompt number {number}" for number in range(200 + count)]


@pytest.mark.parametrize("image_format", FORMATS)
def test_a_new_prompt_renders_from_prepared_pixels(image_format: str) -> None:
    images.clear_cache()
    prompts = prompts_covering_every_layout(50)
    for prompt in prompts[:200]:
        render_image(prompt, 320, 200, image_format, transparent=False)
    prepared = images.prepared_count()
    new = [ImageSpec(prompt_seed(prompt), 0, 320, 200, image_format) for prompt in prompts[200:]]
    assert all(is_prepared(spec) for spec in new), (
        "expected every new prompt to find its pixels prepared once the layouts were"
    )
    encoded = [render(spec) for spec in new]
    assert images.prepared_count() == prepared, "a new prompt must not prepare new pixels"
    assert len(set(encoded)) == len(new), "expected the bytes of every prompt to differ"


def layout_of(prompt: str) -> int:
    return images._layout(images._digest(ImageSpec(prompt_seed(prompt), 0, 1, 1, "png")))


def test_png_prompts_differ_in_palette_not_pixel_data() -> None:
    candidates = [f"fox {number}" for number in range(50)]
    one_prompt = candidates[0]
    other_prompt = next(p for p in candidates[1:] if layout_of(p) == layout_of(one_prompt))
    one, other = (
        png_chunks(render_image(prompt, 256, 256, "png", transparent=True))
        for prompt in (one_prompt, other_prompt)
    )
    assert one[b"PLTE"] != other[b"PLTE"], "expected each prompt to get its own palette"
    assert one[b"tRNS"] == other[b"tRNS"], "expected the same background transparency"
    assert one[b"IDAT"] == other[b"IDAT"], "expected shared pixel data within a layout"


@pytest.mark.parametrize(("image_format", "key"), [("jpeg", "comment"), ("webp", "xmp")])
def test_jpeg_and_webp_carry_the_seed_in_metadata(image_format: str, key: str) -> None:
    spec = ImageSpec(prompt_seed(PROMPT), 2, 128, 96, image_format)
    metadata = decode(render(spec)).info[key]
    seed_hex = images._digest(spec).hex().encode("ascii")
    assert seed_hex in metadata, f"expected the seed {seed_hex!r} in the {key}, got {metadata!r}"
