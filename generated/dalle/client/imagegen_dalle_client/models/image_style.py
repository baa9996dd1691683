from typing import Literal

ImageStyle = Literal["natural", "vivid"]

IMAGE_STYLE_VALUES: set[ImageStyle] = {
    "natural",
    "vivid",
}


def check_image_style(value: str) -> ImageStyle:
    if value in IMAGE_STYLE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGE_STYLE_VALUES!r}"
    )
