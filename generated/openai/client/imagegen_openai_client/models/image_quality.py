from typing import Literal

ImageQuality = Literal["auto", "high", "low", "medium"]

IMAGE_QUALITY_VALUES: set[ImageQuality] = {
    "auto",
    "high",
    "low",
    "medium",
}


def check_image_quality(value: str) -> ImageQuality:
    if value in IMAGE_QUALITY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGE_QUALITY_VALUES!r}"
    )
