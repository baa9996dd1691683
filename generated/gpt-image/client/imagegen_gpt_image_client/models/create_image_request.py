from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.background import Background, check_background
from ..models.image_quality import ImageQuality, check_image_quality
from ..models.image_size import ImageSize, check_image_size
from ..models.image_style import ImageStyle, check_image_style
from ..models.moderation import Moderation, check_moderation
from ..models.output_format import OutputFormat, check_output_format
from ..models.response_format import ResponseFormat, check_response_format
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateImageRequest")


@_attrs_define(kw_only=True)
class CreateImageRequest:
    """The request body. Optional fields may be `null`, which means the same as leaving them out,
    as in OpenAI's reference. Unknown fields are ignored, as FastAPI's default model config
    does (the seed's server is FastAPI-based), so `additionalProperties` is true.

    Fields left out take the server's defaults (`background` `"auto"`, `model` `""`, `moderation` `"auto"`, `n` `1`,
    `output_compression` `95`, `output_format` `"png"`, `quality` `"auto"`, `response_format` `"b64_json"`, `size`
    `"auto"`, `style` `"vivid"`, `user` `""`); the client sends only the fields you set.

        Attributes:
            prompt (str): A text description of the desired image(s). The seed states no bounds; the maximum
                is OpenAI's reference limit for gpt-image models, and an empty prompt is rejected.
            background (Background | None | Unset): Transparency of the background: `transparent`, `opaque` or `auto` (the
                default;
                `auto` means opaque). With `transparent` the output format must support transparency:
                `png` (the default) or `webp`.

                Default: `"auto"` (applied by the server when the field is left out).
            model (None | str | Unset): The model to use for image generation. The seed gives no list of models and an empty
                string as the default (its example sends `random`), so any string is accepted.

                Default: `""` (applied by the server when the field is left out).
            moderation (Moderation | None | Unset): Content-moderation level, `low` for less restrictive filtering or `auto`
                (the default).

                Default: `"auto"` (applied by the server when the field is left out).
            n (int | None | Unset): The number of images to generate, 1 to 4. The seed contradicts itself: its prose says
                "between 1 and 10" (OpenAI's reference wording) while its schema says
                `1 <= value <= 4`. The schema is the machine-readable statement of what the gateway
                accepts, so this document takes 4 as the maximum.

                Default: `1` (applied by the server when the field is left out).
            output_compression (int | None | Unset): Compression level (0-100 %) of webp and jpeg output; defaults to 95, as
                the seed states
                (OpenAI's reference defaults to 100 and states no bounds; the seed's schema gives
                0..100). It is only supported with webp or jpeg, and ignored for png: the seed's own
                defaults (png output, compression 95) must make a valid request, so this document
                does not reject a compression with png, as OpenAI's API does below 100.

                Default: `95` (applied by the server when the field is left out).
            output_format (None | OutputFormat | Unset): The format of the generated images, `png` (the default), `jpeg` or
                `webp`.

                Default: `"png"` (applied by the server when the field is left out).
            quality (ImageQuality | None | Unset): The quality of the image; `auto` (the default) means `medium`.

                Default: `"auto"` (applied by the server when the field is left out).
            response_format (None | ResponseFormat | Unset): The format in which images are returned. The seed's default is
                `b64_json` (OpenAI's
                reference defaults to `url`) and it states that `url` is not supported, so only
                `b64_json` is accepted.

                Default: `"b64_json"` (applied by the server when the field is left out).
            size (ImageSize | None | Unset): The size of the generated images. The default, `auto`, gives 512x512, as the
                seed
                states (OpenAI's gpt-image-1 chooses a size itself); `x-imagegen-auto` records it.

                Default: `"auto"` (applied by the server when the field is left out).
            style (ImageStyle | None | Unset): The style of the generated images. Vivid causes the model to lean towards
                generating
                hyper-real and dramatic images. Natural causes the model to produce more natural, less
                hyper-real looking images.

                Default: `"vivid"` (applied by the server when the field is left out).
            user (str | Unset): A unique identifier representing your end-user, which can help to monitor and detect
                abuse. The seed's default is an empty string.

                Default: `""` (applied by the server when the field is left out).
    """

    prompt: str
    background: Background | None | Unset = UNSET
    model: None | str | Unset = UNSET
    moderation: Moderation | None | Unset = UNSET
    n: int | None | Unset = UNSET
    output_compression: int | None | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    quality: ImageQuality | None | Unset = UNSET
    response_format: None | ResponseFormat | Unset = UNSET
    size: ImageSize | None | Unset = UNSET
    style: ImageStyle | None | Unset = UNSET
    user: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        elif isinstance(self.background, str):
            background = self.background
        else:
            background = self.background

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        moderation: None | str | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, str):
            moderation = self.moderation
        else:
            moderation = self.moderation

        n: int | None | Unset
        if isinstance(self.n, Unset):
            n = UNSET
        else:
            n = self.n

        output_compression: int | None | Unset
        if isinstance(self.output_compression, Unset):
            output_compression = UNSET
        else:
            output_compression = self.output_compression

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, str):
            output_format = self.output_format
        else:
            output_format = self.output_format

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
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if background is not UNSET:
            field_dict["background"] = background
        if model is not UNSET:
            field_dict["model"] = model
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if n is not UNSET:
            field_dict["n"] = n
        if output_compression is not UNSET:
            field_dict["output_compression"] = output_compression
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
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

        def _parse_background(data: object) -> Background | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                background_type_0 = check_background(data)

                return background_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Background | None | Unset, data)

        background = _parse_background(d.pop("background", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        def _parse_moderation(data: object) -> Moderation | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                moderation_type_0 = check_moderation(data)

                return moderation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Moderation | None | Unset, data)

        moderation = _parse_moderation(d.pop("moderation", UNSET))

        def _parse_n(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        n = _parse_n(d.pop("n", UNSET))

        def _parse_output_compression(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        output_compression = _parse_output_compression(
            d.pop("output_compression", UNSET)
        )

        def _parse_output_format(data: object) -> None | OutputFormat | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                output_format_type_0 = check_output_format(data)

                return output_format_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutputFormat | Unset, data)

        output_format = _parse_output_format(d.pop("output_format", UNSET))

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
            background=background,
            model=model,
            moderation=moderation,
            n=n,
            output_compression=output_compression,
            output_format=output_format,
            quality=quality,
            response_format=response_format,
            size=size,
            style=style,
            user=user,
        )

        create_image_request.additional_properties = d
        return create_image_request

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
