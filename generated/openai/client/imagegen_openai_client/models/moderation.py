from typing import Literal

Moderation = Literal["auto", "low"]

MODERATION_VALUES: set[Moderation] = {
    "auto",
    "low",
}


def check_moderation(value: str) -> Moderation:
    if value in MODERATION_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {MODERATION_VALUES!r}"
    )
