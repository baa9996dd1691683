from typing import Literal

StandardSize = Literal["1024x1024", "1024x1536", "1536x1024", "auto"]

STANDARD_SIZE_VALUES: set[StandardSize] = {
    "1024x1024",
    "1024x1536",
    "1536x1024",
    "auto",
}


def check_standard_size(value: str) -> StandardSize:
    if value in STANDARD_SIZE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {STANDARD_SIZE_VALUES!r}"
    )
