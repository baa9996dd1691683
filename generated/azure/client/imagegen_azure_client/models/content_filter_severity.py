from typing import Literal

ContentFilterSeverity = Literal["high", "low", "medium", "safe"]

CONTENT_FILTER_SEVERITY_VALUES: set[ContentFilterSeverity] = {
    "high",
    "low",
    "medium",
    "safe",
}


def check_content_filter_severity(value: str) -> ContentFilterSeverity:
    if value in CONTENT_FILTER_SEVERITY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {CONTENT_FILTER_SEVERITY_VALUES!r}"
    )
