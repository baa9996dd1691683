"""Tests of the bounded in-memory image store."""

from __future__ import annotations

import dataclasses
import re
import threading

import pytest

from imagegen_spec.mock.store import ImageStore, StoredImage


class FakeClock:
    """A clock that only moves when told to."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_store(
    *, ttl_seconds: float = 60.0, max_items: int = 100, max_bytes: int = 1_000_000
) -> tuple[ImageStore, FakeClock]:
    clock = FakeClock()
    store = ImageStore(
        ttl_seconds=ttl_seconds, max_items=max_items, max_bytes=max_bytes, clock=clock
    )
    return store, clock


def test_put_get_round_trip() -> None:
    store, clock = make_store(ttl_seconds=60.0)
    image_id = store.put(b"\x89PNG data", "image/png")
    assert re.fullmatch(r"[A-Za-z0-9_-]{16,64}", image_id), (
        f"expected an opaque URL-safe id, got {image_id!r}"
    )
    got = store.get(image_id)
    expected = StoredImage(b"\x89PNG data", "image/png", clock.now + 60.0)
    assert got == expected, f"expected {expected}, got {got}"
    assert len(store) == 1, f"expected 1 stored image, got {len(store)}"
    assert store.total_bytes == 9, f"expected 9 stored bytes, got {store.total_bytes}"


def test_ids_are_unique() -> None:
    store, _ = make_store(max_items=1000)
    ids = {store.put(b"x", "image/png") for _ in range(1000)}
    assert len(ids) == 1000, f"expected 1000 distinct ids, got {len(ids)}"


def test_stored_image_is_frozen() -> None:
    image = StoredImage(b"x", "image/png", 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        image.data = b"y"  # type: ignore[misc]


def test_unknown_id_returns_none() -> None:
    store, _ = make_store()
    store.put(b"x", "image/png")
    assert store.get("A" * 22) is None, "expected None for a well-formed but unknown id"


def test_image_expires_after_ttl() -> None:
    store, clock = make_store(ttl_seconds=10.0)
    image_id = store.put(b"data", "image/jpeg")
    clock.now += 9.999
    assert store.get(image_id) is not None, "expected the image to live until its TTL"
    clock.now += 0.001
    assert store.get(image_id) is None, "expected the image to be gone exactly at its TTL"
    assert len(store) == 0, f"expected the expired image to be dropped, {len(store)} left"
    assert store.total_bytes == 0, f"expected 0 bytes after expiry, got {store.total_bytes}"


def test_expired_images_are_purged_on_put() -> None:
    store, clock = make_store(ttl_seconds=10.0)
    old = [store.put(b"old", "image/png") for _ in range(5)]
    clock.now += 5
    young = store.put(b"young", "image/png")
    clock.now += 6
    newest = store.put(b"newest", "image/png")
    assert len(store) == 2, f"expected the 5 expired images purged on put, {len(store)} left"
    assert store.total_bytes == 11, f"expected 11 bytes left, got {store.total_bytes}"
    assert all(store.get(image_id) is None for image_id in old), "expected old images gone"
    assert store.get(young) is not None, "expected the unexpired image to stay"
    assert store.get(newest) is not None, "expected the new image to be stored"


def test_oldest_images_are_evicted_by_count() -> None:
    store, _ = make_store(max_items=3)
    ids = [store.put(bytes([n]), "image/png") for n in range(5)]
    present = [store.get(image_id) is not None for image_id in ids]
    assert present == [False, False, True, True, True], (
        f"expected only the 3 newest images to remain, presence was {present}"
    )
    assert len(store) == 3, f"expected 3 images, got {len(store)}"


def test_oldest_images_are_evicted_by_bytes() -> None:
    store, _ = make_store(max_bytes=10)
    ids = [store.put(b"abcd", "image/png") for _ in range(3)]
    present = [store.get(image_id) is not None for image_id in ids]
    assert present == [False, True, True], (
        f"expected the oldest image evicted to stay within 10 bytes, presence was {present}"
    )
    assert store.total_bytes == 8, f"expected 8 stored bytes, got {store.total_bytes}"


def test_oversized_image_is_stored_alone() -> None:
    store, _ = make_store(max_bytes=10)
    small = store.put(b"abcd", "image/png")
    big = store.put(b"x" * 25, "image/png")
    assert store.get(small) is None, "expected everything else evicted for an oversized image"
    assert store.get(big) is not None, "expected the oversized image to be stored anyway"
    assert store.total_bytes == 25, f"expected only the big image, got {store.total_bytes} bytes"
    after = store.put(b"abcd", "image/png")
    assert store.get(big) is None, "expected the next put to evict the oversized image"
    assert store.get(after) is not None, "expected the next image to be stored"


def test_memory_stays_bounded_after_many_puts() -> None:
    store, clock = make_store(ttl_seconds=1e9, max_items=100, max_bytes=50_000)
    ids = []
    for n in range(10_000):
        ids.append(store.put(b"x" * (n % 1000), "image/png"))
        clock.now += 0.01
        assert len(store) <= 100, f"expected at most 100 images, got {len(store)} at put {n}"
        assert store.total_bytes <= 50_000, (
            f"expected at most 50000 bytes, got {store.total_bytes} at put {n}"
        )
    kept = [image for image in map(store.get, ids) if image is not None]
    assert len(kept) == len(store), f"expected {len(store)} retrievable images, got {len(kept)}"
    kept_bytes = sum(len(image.data) for image in kept)
    assert kept_bytes == store.total_bytes, (
        f"expected total_bytes {store.total_bytes} to match the kept images, {kept_bytes}"
    )


@pytest.mark.parametrize(
    "bad_id",
    [
        "../x",
        "a/b",
        "%2e%2e",
        "..%2F..%2Fetc%2Fpasswd",
        "",
        ".",
        "..",
        "x" * 300,
        "A" * 21 + "/",
        "A" * 21 + "é",
        "A" * 22 + "\n",
        "A" * 23,
    ],
)
def test_malformed_ids_return_none(bad_id: str) -> None:
    store, _ = make_store()
    store.put(b"x", "image/png")
    assert store.get(bad_id) is None, f"expected None for malformed id {bad_id!r}"


def test_malformed_variants_of_a_real_id_return_none() -> None:
    store, _ = make_store()
    image_id = store.put(b"x", "image/png")
    for variant in (
        f"{image_id}/",
        f"/{image_id}",
        f"../{image_id}",
        f"{image_id}%00",
        image_id[:-1],
    ):
        assert store.get(variant) is None, f"expected None for {variant!r}"
    assert store.get(image_id) is not None, "expected the real id to still work"


@pytest.mark.parametrize(
    "limits",
    [
        {"ttl_seconds": 0, "max_items": 1, "max_bytes": 1},
        {"ttl_seconds": 1, "max_items": 0, "max_bytes": 1},
        {"ttl_seconds": 1, "max_items": 1, "max_bytes": -5},
    ],
)
def test_non_positive_limits_are_rejected(limits: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="positive"):
        ImageStore(**limits)  # type: ignore[arg-type]


def test_concurrent_puts_and_gets_keep_the_store_consistent() -> None:
    store = ImageStore(ttl_seconds=3600, max_items=50, max_bytes=20_000)
    threads_count, puts_each = 8, 500
    start = threading.Barrier(threads_count)
    ids: list[list[str]] = [[] for _ in range(threads_count)]
    errors: list[BaseException] = []

    def worker(slot: int) -> None:
        try:
            start.wait()
            for n in range(puts_each):
                data = bytes([slot]) * (n % 700)
                image_id = store.put(data, "image/png")
                ids[slot].append(image_id)
                got = store.get(image_id)
                if got is not None and got.data != data:
                    raise AssertionError(f"thread {slot} read back someone else's data")
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(slot,)) for slot in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, f"expected no errors in worker threads, got {errors!r}"
    all_ids = [image_id for slot_ids in ids for image_id in slot_ids]
    assert len(set(all_ids)) == threads_count * puts_each, "expected every put to get a unique id"
    kept = [image for image in map(store.get, all_ids) if image is not None]
    assert len(kept) == len(store) <= 50, f"expected <= 50 consistent images, got {len(kept)}"
    assert sum(len(image.data) for image in kept) == store.total_bytes <= 20_000, (
        f"expected total_bytes ({store.total_bytes}) to match the kept images and the bound"
    )
