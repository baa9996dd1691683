from typing import Literal

Background = Literal["auto", "opaque", "transparent"]

BACKGROUND_VALUES: set[Background] = {
    "auto",
    "opaque",
    "transparent",
}


def check_background(value: str) -> Background:
    if value in BACKGROUND_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {BACKGROUND_VALUES!r}"
    )
