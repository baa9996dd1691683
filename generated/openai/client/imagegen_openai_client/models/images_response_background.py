from typing import Literal

ImagesResponseBackground = Literal["opaque", "transparent"]

IMAGES_RESPONSE_BACKGROUND_VALUES: set[ImagesResponseBackground] = {
    "opaque",
    "transparent",
}


def check_images_response_background(value: str) -> ImagesResponseBackground:
    if value in IMAGES_RESPONSE_BACKGROUND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGES_RESPONSE_BACKGROUND_VALUES!r}"
    )
