from typing import Literal

ImageGenServerSentEventEvent = Literal[
    "image_generation.completed", "image_generation.partial_image"
]

IMAGE_GEN_SERVER_SENT_EVENT_EVENT_VALUES: set[ImageGenServerSentEventEvent] = {
    "image_generation.completed",
    "image_generation.partial_image",
}


def check_image_gen_server_sent_event_event(value: str) -> ImageGenServerSentEventEvent:
    if value in IMAGE_GEN_SERVER_SENT_EVENT_EVENT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGE_GEN_SERVER_SENT_EVENT_EVENT_VALUES!r}"
    )
