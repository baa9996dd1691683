from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.image_model import ImageModel, check_image_model
from ..models.image_quality import ImageQuality, check_image_quality
from ..models.image_size import ImageSize, check_image_size
from ..models.image_style import ImageStyle, check_image_style
from ..models.response_format import ResponseFormat, check_response_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateImageRequest")


@_attrs_define(kw_only=True)
class CreateImageRequest:
    """The request body. An optional field may be `null`, which means the same as leaving it
    out. A field this API does not know is rejected with a 400 naming it.

    Fields left out take the server's defaults (`model` `"dall-e-2"`, `n` `1`, `quality` `"standard"`, `response_format`
    `"url"`, `size` `"1024x1024"`, `style` `"vivid"`); the client sends only the fields you set.

        Attributes:
            prompt (str): A text description of the desired image(s): 1 to 1000 characters for dall-e-2, 1 to
                4000 for dall-e-3.
            model (ImageModel | None | Unset): The model to use for image generation, `dall-e-2` (the default) or
                `dall-e-3`.

                Default: `"dall-e-2"` (applied by the server when the field is left out).
            n (int | None | Unset): The number of images to generate, 1 to 10. For dall-e-3 only 1 is supported.

                Default: `1` (applied by the server when the field is left out).
            quality (ImageQuality | None | Unset): The quality of the image. `hd` creates images with finer details and
                greater
                consistency across the image. Only dall-e-3 supports `hd`; dall-e-2 accepts only
                `standard`, its one quality and the default.

                Default: `"standard"` (applied by the server when the field is left out).
            response_format (None | ResponseFormat | Unset): The format in which the generated images are returned. URLs are
                only valid for 60
                minutes after the image has been generated.

                Default: `"url"` (applied by the server when the field is left out).
            size (ImageSize | None | Unset): The size of the generated images: 256x256, 512x512 or 1024x1024 for dall-e-2;
                1024x1024, 1792x1024 or 1024x1792 for dall-e-3.

                Default: `"1024x1024"` (applied by the server when the field is left out).
            style (ImageStyle | None | Unset): The style of the generated images. Vivid causes the model to lean towards
                generating
                hyper-real and dramatic images. Natural causes the model to produce more natural, less
                hyper-real looking images. Only supported for dall-e-3: for dall-e-2 leave it out,
                send `null`, or send the default `vivid`, which changes nothing.

                Default: `"vivid"` (applied by the server when the field is left out).
            user (str | Unset): A unique identifier representing your end-user, which can help to monitor and detect
                abuse.
    """

    prompt: str
    model: ImageModel | None | Unset = UNSET
    n: int | None | Unset = UNSET
    quality: ImageQuality | None | Unset = UNSET
    response_format: None | ResponseFormat | Unset = UNSET
    size: ImageSize | None | Unset = UNSET
    style: ImageStyle | None | Unset = UNSET
    user: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        elif isinstance(self.model, str):
            model = self.model
        else:
            model = self.model

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        quality: None | str | Unset
        if isinstance(self.quality, Unset):
            quality = UNSET
        elif isinstance(self.quality, str):
            quality = self.quality
        else:
            quality = self.quality

        response_format: None | str | Unset
        if isinstance(self.response_format, Unset):
            response_format = UNSET
        elif isinstance(self.response_format, str):
            response_format = self.response_format
        else:
            response_format = self.response_format

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        elif isinstance(self.size, str):
            size = self.size
        else:
            size = self.size

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        elif isinstance(self.style, str):
            style = self.style
        else:
            style = self.style

        user = self.user

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
        if quality is not UNSET:
            field_dict["quality"] = quality
        if response_format is not UNSET:
            field_dict["response_format"] = response_format
        if size is not UNSET:
            field_dict["size"] = size
        if style is not UNSET:
            field_dict["style"] = style
        if user is not UNSET:
            field_dict["user"] = user

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        def _parse_model(data: object) -> ImageModel | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                model_type_0 = check_image_model(data)

                return model_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageModel | None | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        def _parse_quality(data: object) -> ImageQuality | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                quality_type_0 = check_image_quality(data)

                return quality_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageQuality | None | Unset, data)

        quality = _parse_quality(d.pop("quality", UNSET))

        def _parse_response_format(data: object) -> None | ResponseFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                response_format_type_0 = check_response_format(data)

                return response_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ResponseFormat | Unset, data)

        response_format = _parse_response_format(d.pop("response_format", UNSET))

        def _parse_size(data: object) -> ImageSize | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                size_type_0 = check_image_size(data)

                return size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageSize | None | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

        def _parse_style(data: object) -> ImageStyle | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                style_type_0 = check_image_style(data)

                return style_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ImageStyle | None | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

        user = d.pop("user", UNSET)

        create_image_request = cls(
            prompt=prompt,
            model=model,
            n=n,
            quality=quality,
            response_format=response_format,
            size=size,
            style=style,
            user=user,
        )

        return create_image_request
