from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.background import Background, check_background
from ..models.image_model import ImageModel, check_image_model
from ..models.image_quality import ImageQuality, check_image_quality
from ..models.moderation import Moderation, check_moderation
from ..models.output_format import OutputFormat, check_output_format
from ..models.standard_size import StandardSize, check_standard_size
from ..types import UNSET, Unset

T = TypeVar("T", bound="CreateImageRequest")


@_attrs_define(kw_only=True)
class CreateImageRequest:
    """The request body. An optional field may be `null`, which means the same as leaving it
    out. A field this API does not know is rejected with a 400 naming it.

    Fields left out take the server's defaults (`model` `"gpt-image-2"`, `n` `1`, `quality` `"auto"`, `output_format`
    `"png"`, `output_compression` `100`, `stream` `false`, `partial_images` `0`, `size` `"auto"`, `moderation` `"auto"`,
    `background` `"auto"`); the client sends only the fields you set.

        Attributes:
            prompt (str): A text description of the desired image(s), 1 to 32000 characters.
            model (ImageModel | None | Unset): The GPT image model to use: `gpt-image-2` (the default), its snapshot
                `gpt-image-2-2026-04-21`, `gpt-image-1.5`, `gpt-image-1` or `gpt-image-1-mini`.

                Default: `"gpt-image-2"` (applied by the server when the field is left out).
            n (int | None | Unset): The number of images to generate, 1 to 10.

                Default: `1` (applied by the server when the field is left out).
            quality (ImageQuality | None | Unset): The quality of the image, `low`, `medium` or `high`; `auto` (the default)
                lets the
                model choose (`high` here).

                Default: `"auto"` (applied by the server when the field is left out).
            output_format (None | OutputFormat | Unset): The format of the generated images, `png` (the default), `jpeg` or
                `webp`.

                Default: `"png"` (applied by the server when the field is left out).
            output_compression (int | None | Unset): The compression level (0-100 %) of `webp` and `jpeg` output, 100 by
                default. Ignored
                for `png`.

                Default: `100` (applied by the server when the field is left out).
            stream (bool | None | Unset): Generate the images in streaming mode: with `true` the answer is a
                `text/event-stream` of image_generation events instead of a JSON body.

                Default: `false` (applied by the server when the field is left out).
            partial_images (int | None | Unset): The number of partial images a streamed response sends for each image
                before its
                final image, 0 to 3. With 0 the final image comes in one event. The final image may
                be sent before all the partial images when it is finished sooner. Without
                `stream: true` it is accepted and has no effect.

                Default: `0` (applied by the server when the field is left out).
            size (None | StandardSize | str | Unset): The size of the generated images: `1024x1024`, `1536x1024`,
                `1024x1536`, or `auto`
                (the default; the model chooses, 1024x1024 here). gpt-image-2 and its snapshot also
                make any `WIDTHxHEIGHT` whose sides are multiples of 16, at most 3840 pixels long,
                with an aspect ratio between 1:3 and 3:1 and between 655,360 and 8,294,400 pixels
                in all (3840x2160 and 2160x3840 are the largest); sizes above 2560x1440 are
                experimental.

                Default: `"auto"` (applied by the server when the field is left out).
            moderation (Moderation | None | Unset): Content-moderation level, `low` for less restrictive filtering or `auto`
                (the default).

                Default: `"auto"` (applied by the server when the field is left out).
            background (Background | None | Unset): Transparency of the background: `transparent`, `opaque` or `auto` (the
                default; the
                model decides, opaque here). With `transparent` the output format must support
                transparency: `png` (the default) or `webp`. For gpt-image-2 and its snapshot
                transparency is in preview.

                Default: `"auto"` (applied by the server when the field is left out).
            user (str | Unset): A unique identifier representing your end-user, which can help OpenAI to monitor and
                detect abuse.
    """

    prompt: str
    model: ImageModel | None | Unset = UNSET
    n: int | None | Unset = UNSET
    quality: ImageQuality | None | Unset = UNSET
    output_format: None | OutputFormat | Unset = UNSET
    output_compression: int | None | Unset = UNSET
    stream: bool | None | Unset = UNSET
    partial_images: int | None | Unset = UNSET
    size: None | StandardSize | str | Unset = UNSET
    moderation: Moderation | None | Unset = UNSET
    background: Background | None | Unset = UNSET
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

        output_format: None | str | Unset
        if isinstance(self.output_format, Unset):
            output_format = UNSET
        elif isinstance(self.output_format, str):
            output_format = self.output_format
        else:
            output_format = self.output_format

        output_compression: int | None | Unset
        if isinstance(self.output_compression, Unset):
            output_compression = UNSET
        else:
            output_compression = self.output_compression

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

        size: None | str | Unset
        if isinstance(self.size, Unset):
            size = UNSET
        elif isinstance(self.size, str):
            size = self.size
        else:
            size = self.size

        moderation: None | str | Unset
        if isinstance(self.moderation, Unset):
            moderation = UNSET
        elif isinstance(self.moderation, str):
            moderation = self.moderation
        else:
            moderation = self.moderation

        background: None | str | Unset
        if isinstance(self.background, Unset):
            background = UNSET
        elif isinstance(self.background, str):
            background = self.background
        else:
            background = self.background

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
        if output_format is not UNSET:
            field_dict["output_format"] = output_format
        if output_compression is not UNSET:
            field_dict["output_compression"] = output_compression
        if stream is not UNSET:
            field_dict["stream"] = stream
        if partial_images is not UNSET:
            field_dict["partial_images"] = partial_images
        if size is not UNSET:
            field_dict["size"] = size
        if moderation is not UNSET:
            field_dict["moderation"] = moderation
        if background is not UNSET:
            field_dict["background"] = background
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

        def _parse_output_compression(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        output_compression = _parse_output_compression(
            d.pop("output_compression", UNSET)
        )

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

        def _parse_size(data: object) -> None | StandardSize | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                size_type_0 = check_standard_size(data)

                return size_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StandardSize | str | Unset, data)

        size = _parse_size(d.pop("size", UNSET))

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

        user = d.pop("user", UNSET)

        create_image_request = cls(
            prompt=prompt,
            model=model,
            n=n,
            quality=quality,
            output_format=output_format,
            output_compression=output_compression,
            stream=stream,
            partial_images=partial_images,
            size=size,
            moderation=moderation,
            background=background,
            user=user,
        )

        return create_image_request
