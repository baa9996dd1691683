"""shared.asgi: a body read whole from its chunks, replayed once, bounded when asked."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message, Receive

from imagegen_spec.shared.asgi import BodyTooLarge, read_body, replay


def messages(*items: Message) -> Receive:
    """A `receive` giving `items` in order, then disconnects."""
    queue = list(items)

    async def receive() -> Message:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    return receive


def chunks(*parts: bytes) -> Receive:
    """A body sent in `parts`, each but the last with more_body."""
    return messages(
        *(
            {"type": "http.request", "body": part, "more_body": index < len(parts) - 1}
            for index, part in enumerate(parts)
        )
    )


def test_every_chunk_is_joined() -> None:
    assert asyncio.run(read_body(chunks(b'{"prompt"', b': "a"', b"}"))) == b'{"prompt": "a"}'


def test_a_disconnect_ends_the_body_with_what_came() -> None:
    receive = messages({"type": "http.request", "body": b"part", "more_body": True})

    assert asyncio.run(read_body(receive)) == b"part"


def test_a_limit_stops_reading_once_passed() -> None:
    assert asyncio.run(read_body(chunks(b"12", b"34"), limit=4)) == b"1234"
    with pytest.raises(BodyTooLarge, match="larger than 3 bytes"):
        asyncio.run(read_body(chunks(b"12", b"34"), limit=3))


def test_replay_gives_the_body_once_then_defers_or_disconnects() -> None:
    async def drain(receive: Receive) -> list[Message]:
        return [await receive(), await receive()]

    alone = asyncio.run(drain(replay(b"body")))
    then = asyncio.run(drain(replay(b"body", then=messages({"type": "http.request"}))))

    assert alone == [
        {"type": "http.request", "body": b"body", "more_body": False},
        {"type": "http.disconnect"},
    ]
    assert then[1] == {"type": "http.request"}, "after the body, the original receive answers"
