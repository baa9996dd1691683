from typing import Literal

ImageQuality = Literal["hd", "standard"]

IMAGE_QUALITY_VALUES: set[ImageQuality] = {
    "hd",
    "standard",
}


def check_image_quality(value: str) -> ImageQuality:
    if value in IMAGE_QUALITY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGE_QUALITY_VALUES!r}"
    )
