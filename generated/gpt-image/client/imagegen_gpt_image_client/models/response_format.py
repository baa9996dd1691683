from typing import Literal

ResponseFormat = Literal["b64_json", "url"]

RESPONSE_FORMAT_VALUES: set[ResponseFormat] = {
    "b64_json",
    "url",
}


def check_response_format(value: str) -> ResponseFormat:
    if value in RESPONSE_FORMAT_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {RESPONSE_FORMAT_VALUES!r}"
    )
