from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Image")


@_attrs_define(kw_only=True)
class Image:
    """One generated image: `url` when `response_format` is `url`, `b64_json` when it is
    `b64_json`.

        Attributes:
            b64_json (str | Unset): The base64-encoded PNG image, if `response_format` is `b64_json`.
            url (str | Unset): The URL of the generated image, if `response_format` is `url` (the default).
            revised_prompt (str | Unset): The prompt that was used to generate the image. Only dall-e-3 revises prompts, so
                it is returned for dall-e-3 only.
    """

    b64_json: str | Unset = UNSET
    url: str | Unset = UNSET
    revised_prompt: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        b64_json = self.b64_json

        url = self.url

        revised_prompt = self.revised_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if b64_json is not UNSET:
            field_dict["b64_json"] = b64_json
        if url is not UNSET:
            field_dict["url"] = url
        if revised_prompt is not UNSET:
            field_dict["revised_prompt"] = revised_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        b64_json = d.pop("b64_json", UNSET)

        url = d.pop("url", UNSET)

        revised_prompt = d.pop("revised_prompt", UNSET)

        image = cls(
            b64_json=b64_json,
            url=url,
            revised_prompt=revised_prompt,
        )

        image.additional_properties = d
        return image

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
