from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.image_quality import ImageQuality, check_image_quality
from ..models.image_size import ImageSize, check_image_size
from ..models.image_style import ImageStyle, check_image_style
from ..models.response_format import ResponseFormat, check_response_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenerationsRequest")


@_attrs_define(kw_only=True)
class ImageGenerationsRequest:
    """The request body. As in Azure's reference, no field is nullable. The seed states no
    defaults; the defaults of `n`, `size`, `response_format`, `quality` and `style` are
    those of Azure's 2025-01-01-preview reference. Unknown fields are
    rejected.

    Fields left out take the server's defaults (`n` `1`, `size` `"1024x1024"`, `response_format` `"url"`, `quality`
    `"standard"`, `style` `"vivid"`); the client sends only the fields you set.

        Attributes:
            prompt (str): A text description of the desired image(s). The maximum length is 4000 characters.
            model (str | Unset): Not in the seed: the deployment in the path decides the model. The official openai
                SDKs (`AzureOpenAI(...).images.generate(model=...)`) send the deployment name here as
                well, so it is accepted and ignored.
            n (int | Unset): The number of images to generate. Only 1 is supported.

                Default: `1` (applied by the server when the field is left out).
            size (ImageSize | Unset): Width x height in pixels. The seed lists these five sizes, as Azure's
                2025-01-01-preview
                reference does (the stable 2024-10-21 reference lists only the last three).
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

        return image_generations_request
