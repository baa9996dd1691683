from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_content_filter_results import ImageContentFilterResults
    from ..models.prompt_filter_results import PromptFilterResults


T = TypeVar("T", bound="ImageResult")


@_attrs_define(kw_only=True)
class ImageResult:
    """One generated image, as `url` or `b64_json`, with its content-filter results.

    Attributes:
        content_filter_results (ImageContentFilterResults): The content-filter results of a generated image, one entry
            per category.
        prompt_filter_results (PromptFilterResults): The content-filter results of the prompt. The four severity
            categories are always
            present; `profanity`, `jailbreak` and `custom_blocklists` only when those filters are
            configured for the deployment.
        url (str | Unset): The URL of the image, if `response_format` is `url`.
        b64_json (str | Unset): The base64-encoded PNG image, if `response_format` is `b64_json`.
        revised_prompt (str | Unset): The prompt that was used to generate the image, if it was revised.
    """

    content_filter_results: ImageContentFilterResults
    prompt_filter_results: PromptFilterResults
    url: str | Unset = UNSET
    b64_json: str | Unset = UNSET
    revised_prompt: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        content_filter_results = self.content_filter_results.to_dict()

        prompt_filter_results = self.prompt_filter_results.to_dict()

        url = self.url

        b64_json = self.b64_json

        revised_prompt = self.revised_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "content_filter_results": content_filter_results,
                "prompt_filter_results": prompt_filter_results,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        if b64_json is not UNSET:
            field_dict["b64_json"] = b64_json
        if revised_prompt is not UNSET:
            field_dict["revised_prompt"] = revised_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_content_filter_results import ImageContentFilterResults  # noqa: PLC0415
        from ..models.prompt_filter_results import PromptFilterResults  # noqa: PLC0415

        d = dict(src_dict)
        content_filter_results = ImageContentFilterResults.from_dict(
            d.pop("content_filter_results")
        )

        prompt_filter_results = PromptFilterResults.from_dict(
            d.pop("prompt_filter_results")
        )

        url = d.pop("url", UNSET)

        b64_json = d.pop("b64_json", UNSET)

        revised_prompt = d.pop("revised_prompt", UNSET)

        image_result = cls(
            content_filter_results=content_filter_results,
            prompt_filter_results=prompt_filter_results,
            url=url,
            b64_json=b64_json,
            revised_prompt=revised_prompt,
        )

        image_result.additional_properties = d
        return image_result

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
