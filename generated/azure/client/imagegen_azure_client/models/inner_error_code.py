from typing import Literal

InnerErrorCode = Literal["ResponsibleAIPolicyViolation"]

INNER_ERROR_CODE_VALUES: set[InnerErrorCode] = {
    "ResponsibleAIPolicyViolation",
}


def check_inner_error_code(value: str) -> InnerErrorCode:
    if value in INNER_ERROR_CODE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {INNER_ERROR_CODE_VALUES!r}"
    )
