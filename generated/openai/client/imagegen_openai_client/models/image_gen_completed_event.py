from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.background import Background, check_background
from ..models.image_quality import ImageQuality, check_image_quality
from ..models.output_format import OutputFormat, check_output_format

if TYPE_CHECKING:
    from ..models.usage import Usage


T = TypeVar("T", bound="ImageGenCompletedEvent")


@_attrs_define(kw_only=True)
class ImageGenCompletedEvent:
    """The final image and the token usage; the last event of each image.

    Attributes:
        type_ (Literal['image_generation.completed']):
        b64_json (str): The base64-encoded final image, in the requested output format.
        created_at (int): The Unix time (seconds) at which the event was created.
        size (str): The size of the image an event carries, `WIDTHxHEIGHT` in pixels (or `auto`).
        quality (ImageQuality):
        background (Background):
        output_format (OutputFormat):
        usage (Usage): Token usage of the request.
    """

    type_: Literal["image_generation.completed"]
    b64_json: str
    created_at: int
    size: str
    quality: ImageQuality
    background: Background
    output_format: OutputFormat
    usage: Usage
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        b64_json = self.b64_json

        created_at = self.created_at

        size = self.size

        quality: str = self.quality

        background: str = self.background

        output_format: str = self.output_format

        usage = self.usage.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "type": type_,
                "b64_json": b64_json,
                "created_at": created_at,
                "size": size,
                "quality": quality,
                "background": background,
                "output_format": output_format,
                "usage": usage,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.usage import Usage  # noqa: PLC0415

        d = dict(src_dict)
        type_ = cast(Literal["image_generation.completed"], d.pop("type"))
        if type_ != "image_generation.completed":
            raise ValueError(
                f"type must match const 'image_generation.completed', got '{type_}'"
            )

        b64_json = d.pop("b64_json")

        created_at = d.pop("created_at")

        size = d.pop("size")

        quality = check_image_quality(d.pop("quality"))

        background = check_background(d.pop("background"))

        output_format = check_output_format(d.pop("output_format"))

        usage = Usage.from_dict(d.pop("usage"))

        image_gen_completed_event = cls(
            type_=type_,
            b64_json=b64_json,
            created_at=created_at,
            size=size,
            quality=quality,
            background=background,
            output_format=output_format,
            usage=usage,
        )

        image_gen_completed_event.additional_properties = d
        return image_gen_completed_event

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
