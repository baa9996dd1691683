from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_quality import ImageQuality, check_image_quality
from ..models.image_size import ImageSize, check_image_size
from ..models.image_style import ImageStyle, check_image_style
from ..models.response_format import ResponseFormat, check_response_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenerationsRequest")


@_attrs_define(kw_only=True)
class ImageGenerationsRequest:
    """The request body. No field may be `null`; leave a field out to get its default. Fields
    this API does not know are ignored.

    Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`, `response_format` `"url"`, `quality`
    `"standard"`, `style` `"vivid"`); the client sends only the fields you set.

        Attributes:
            prompt (str): A text description of the desired image(s), 1 to 4000 characters.
            model (str | Unset): Accepted and ignored: the deployment in the path decides the model. The official
                openai SDKs send the deployment name here as well.
            n (int | Unset): The number of images to generate. Only 1 is supported.

                Default: `1` (applied by the server when the field is left out).
            size (ImageSize | Unset): Width x height in pixels. 256x256 and 512x512 are DALL-E 2 sizes, 1792x1024 and
                1024x1792 DALL-E 3 sizes; 1024x1024 works with both.
            response_format (ResponseFormat | Unset):
            user (str | Unset): A unique identifier representing your end-user, which can help to monitor and detect
                abuse.
            quality (ImageQuality | Unset):
            style (ImageStyle | Unset):
    """

    prompt: str
    model: str | Unset = UNSET
    n: int | Unset = UNSET
    size: ImageSize | Unset = UNSET
    response_format: ResponseFormat | Unset = UNSET
    user: str | Unset = UNSET
    quality: ImageQuality | Unset = UNSET
    style: ImageStyle | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model = self.model

        n = self.n

        size: str | Unset = UNSET
        if not isinstance(self.size, Unset):
            size = self.size

        response_format: str | Unset = UNSET
        if not isinstance(self.response_format, Unset):
            response_format = self.response_format

        user = self.user

        quality: str | Unset = UNSET
        if not isinstance(self.quality, Unset):
            quality = self.quality

        style: str | Unset = UNSET
        if not isinstance(self.style, Unset):
            style = self.style

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if model is not UNSET:
            field_dict["model"] = model
        if n is not UNSET:
            field_dict["n"] = n
        if size is not UNSET:
            field_dict["size"] = size
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if user is not UNSET:
            field_dict["user"] = user
        if quality is not UNSET:
            field_dict["quality"] = quality
        if style is not UNSET:
            field_dict["style"] = style

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        model = d.pop("model", UNSET)

        n = d.pop("n", UNSET)

        _size = d.pop("size", UNSET)
        size: ImageSize | Unset
        if isinstance(_size, Unset):
            size = UNSET
        else:
            size = check_image_size(_size)

        _response_format = d.pop("response_format", UNSET)
        response_format: ResponseFormat | Unset
        if isinstance(_response_format, Unset):
            response_format = UNSET
        else:
            response_format = check_response_format(_response_format)

        user = d.pop("user", UNSET)

        _quality = d.pop("quality", UNSET)
        quality: ImageQuality | Unset
        if isinstance(_quality, Unset):
            quality = UNSET
        else:
            quality = check_image_quality(_quality)

        _style = d.pop("style", UNSET)
        style: ImageStyle | Unset
        if isinstance(_style, Unset):
            style = UNSET
        else:
            style = check_image_style(_style)

        image_generations_request = cls(
            prompt=prompt,
            model=model,
            n=n,
            size=size,
            response_format=response_format,
            user=user,
            quality=quality,
            style=style,
        )

        image_generations_request.additional_properties = d
        return image_generations_request

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
