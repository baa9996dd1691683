from typing import Literal

ImageModel = Literal["dall-e-2", "dall-e-3"]

IMAGE_MODEL_VALUES: set[ImageModel] = {
    "dall-e-2",
    "dall-e-3",
}


def check_image_model(value: str) -> ImageModel:
    if value in IMAGE_MODEL_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {IMAGE_MODEL_VALUES!r}"
    )
