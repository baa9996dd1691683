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
    """The request body. An optional field may be `null`, which means the same as leaving it
    out. Fields this API does not know are ignored.

    Fields left out take the server's defaults (`background` `"auto"`, `model` `""`, `moderation` `"auto"`, `n` `1`,
    `output_compression` `95`, `output_format` `"png"`, `quality` `"auto"`, `response_format` `"b64_json"`, `size`
    `"auto"`, `style` `"vivid"`, `stream` `false`, `partial_images` `0`, `user` `""`); the client sends only the fields
    you set.

        Attributes:
            prompt (str): A text description of the desired image(s), 1 to 32000 characters.
            background (Background | None | Unset): Transparency of the background: `transparent`, `opaque` or `auto` (the
                default;
                `auto` means opaque). With `transparent` the output format must support transparency:
                `png` (the default) or `webp`.

                Default: `"auto"` (applied by the server when the field is left out).
            model (None | str | Unset): The model to use for image generation; any name the gateway knows.

                Default: `""` (applied by the server when the field is left out).
            moderation (Moderation | None | Unset): Content-moderation level, `low` for less restrictive filtering or `auto`
                (the default).

                Default: `"auto"` (applied by the server when the field is left out).
            n (int | None | Unset): The number of images to generate, 1 to 4.

                Default: `1` (applied by the server when the field is left out).
            output_compression (int | None | Unset): Compression level (0-100 %) of webp and jpeg output, 95 by default.
                Ignored for png.

                Default: `95` (applied by the server when the field is left out).
            output_format (None | OutputFormat | Unset): The format of the generated images, `png` (the default), `jpeg` or
                `webp`.

                Default: `"png"` (applied by the server when the field is left out).
            quality (ImageQuality | None | Unset): The quality of the image, `low`, `medium` or `high`; `auto` (the default)
                means `medium`.

                Default: `"auto"` (applied by the server when the field is left out).
            response_format (None | ResponseFormat | Unset): The format in which generated images are returned. Must be one
                of `url` or
                `b64_json`. Currently `url` is not supported: a request with `url` is rejected with a
                422 naming `response_format`.

                Default: `"b64_json"` (applied by the server when the field is left out).
            size (ImageSize | None | Unset): The size of the generated images; the default, `auto`, gives 512x512.

                Default: `"auto"` (applied by the server when the field is left out).
            style (ImageStyle | None | Unset): The style of the generated images. Vivid causes the model to lean towards
                generating
                hyper-real and dramatic images. Natural causes the model to produce more natural, less
                hyper-real looking images.

                Default: `"vivid"` (applied by the server when the field is left out).
            stream (bool | None | Unset): Streaming is not supported: leave `stream` out, or send `false` or `null`. A
                request
                with `true` is rejected with a 422 naming `stream`.

                Default: `false` (applied by the server when the field is left out).
            partial_images (int | None | Unset): The number of partial images of a streamed response (0 to 3). Streaming is
                not
                supported, so it has no effect.

                Default: `0` (applied by the server when the field is left out).
            user (str | Unset): A unique identifier representing your end-user, which can help to monitor and detect
                abuse.

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
    stream: bool | None | Unset = UNSET
    partial_images: int | None | Unset = UNSET
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

        stream: bool | None | Unset
        if isinstance(self.stream, Unset):
            stream = UNSET
        else:
            stream = self.stream

        partial_images: int | None | Unset
        if isinstance(self.partial_images, Unset):
            partial_images = UNSET
        else:
            partial_images = self.partial_images

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
        if stream is not UNSET:
            field_dict["stream"] = stream
        if partial_images is not UNSET:
            field_dict["partial_images"] = partial_images
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

        def _parse_stream(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        stream = _parse_stream(d.pop("stream", UNSET))

        def _parse_partial_images(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        partial_images = _parse_partial_images(d.pop("partial_images", UNSET))

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
            stream=stream,
            partial_images=partial_images,
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
