from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.inner_error_code import InnerErrorCode, check_inner_error_code
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.prompt_filter_results import PromptFilterResults


T = TypeVar("T", bound="InnerError")


@_attrs_define(kw_only=True)
class InnerError:
    """Details of a content-filter refusal.

    Attributes:
        code (InnerErrorCode):
        content_filter_results (PromptFilterResults | Unset): The content-filter results of the prompt. The four
            severity categories are always
            present; `profanity`, `jailbreak` and `custom_blocklists` only when those filters are
            configured for the deployment.
        revised_prompt (str | Unset):
    """

    code: InnerErrorCode
    content_filter_results: PromptFilterResults | Unset = UNSET
    revised_prompt: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code: str = self.code

        content_filter_results: dict[str, Any] | Unset = UNSET
        if not isinstance(self.content_filter_results, Unset):
            content_filter_results = self.content_filter_results.to_dict()

        revised_prompt = self.revised_prompt

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
            }
        )
        if content_filter_results is not UNSET:
            field_dict["content_filter_results"] = content_filter_results
        if revised_prompt is not UNSET:
            field_dict["revised_prompt"] = revised_prompt

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.prompt_filter_results import PromptFilterResults  # noqa: PLC0415

        d = dict(src_dict)
        code = check_inner_error_code(d.pop("code"))

        _content_filter_results = d.pop("content_filter_results", UNSET)
        content_filter_results: PromptFilterResults | Unset
        if isinstance(_content_filter_results, Unset):
            content_filter_results = UNSET
        else:
            content_filter_results = PromptFilterResults.from_dict(
                _content_filter_results
            )

        revised_prompt = d.pop("revised_prompt", UNSET)

        inner_error = cls(
            code=code,
            content_filter_results=content_filter_results,
            revised_prompt=revised_prompt,
        )

        inner_error.additional_properties = d
        return inner_error

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
