from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.images_response_background import (
    ImagesResponseBackground,
    check_images_response_background,
)
from ..models.images_response_quality import (
    ImagesResponseQuality,
    check_images_response_quality,
)
from ..models.output_format import OutputFormat, check_output_format

if TYPE_CHECKING:
    from ..models.image import Image
    from ..models.usage import Usage


T = TypeVar("T", bound="ImagesResponse")


@_attrs_define(kw_only=True)
class ImagesResponse:
    """The generated images, the settings they were made with and the token usage.

    Attributes:
        created (int): The Unix time (seconds) at which the images were created.
        data (list[Image]):
        background (ImagesResponseBackground): The background of the images, `transparent` or `opaque`.
        output_format (OutputFormat):
        size (str): The size of the generated image, `WIDTHxHEIGHT` in pixels.
        quality (ImagesResponseQuality): The quality the images were made at.
        usage (Usage): Token usage of the request.
    """

    created: int
    data: list[Image]
    background: ImagesResponseBackground
    output_format: OutputFormat
    size: str
    quality: ImagesResponseQuality
    usage: Usage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created = self.created

        data = []
        for data_item_data in self.data:
            data_item = data_item_data.to_dict()
            data.append(data_item)

        background: str = self.background

        output_format: str = self.output_format

        size = self.size

        quality: str = self.quality

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created": created,
                "data": data,
                "background": background,
                "output_format": output_format,
                "size": size,
                "quality": quality,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image import Image  # noqa: PLC0415
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        created = d.pop("created")

        data = []
        _data = d.pop("data")
        for data_item_data in _data:
            data_item = Image.from_dict(data_item_data)

            data.append(data_item)

        background = check_images_response_background(d.pop("background"))

        output_format = check_output_format(d.pop("output_format"))

        size = d.pop("size")

        quality = check_images_response_quality(d.pop("quality"))

        usage = Usage.from_dict(d.pop("usage"))

        images_response = cls(
            created=created,
            data=data,
            background=background,
            output_format=output_format,
            size=size,
            quality=quality,
            usage=usage,
        )

        images_response.additional_properties = d
        return images_response

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
