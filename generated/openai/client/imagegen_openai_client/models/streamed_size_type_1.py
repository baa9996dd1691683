from typing import Literal

StreamedSizeType1 = Literal["auto"]

STREAMED_SIZE_TYPE_1_VALUES: set[StreamedSizeType1] = {
    "auto",
}


def check_streamed_size_type_1(value: str) -> StreamedSizeType1:
    if value in STREAMED_SIZE_TYPE_1_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {STREAMED_SIZE_TYPE_1_VALUES!r}"
    )
