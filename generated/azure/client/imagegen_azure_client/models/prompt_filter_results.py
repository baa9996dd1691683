from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.content_filter_detected_result import ContentFilterDetectedResult
    from ..models.content_filter_severity_result import ContentFilterSeverityResult
    from ..models.custom_blocklist_results import CustomBlocklistResults


T = TypeVar("T", bound="PromptFilterResults")


@_attrs_define(kw_only=True)
class PromptFilterResults:
    """The content-filter results of the prompt. The four severity categories are always
    present; `profanity`, `jailbreak` and `custom_blocklists` only when those filters are
    configured for the deployment.

        Attributes:
            sexual (ContentFilterSeverityResult):
            violence (ContentFilterSeverityResult):
            hate (ContentFilterSeverityResult):
            self_harm (ContentFilterSeverityResult):
            profanity (ContentFilterDetectedResult | Unset):
            jailbreak (ContentFilterDetectedResult | Unset):
            custom_blocklists (CustomBlocklistResults | Unset):
    """

    sexual: ContentFilterSeverityResult
    violence: ContentFilterSeverityResult
    hate: ContentFilterSeverityResult
    self_harm: ContentFilterSeverityResult
    profanity: ContentFilterDetectedResult | Unset = UNSET
    jailbreak: ContentFilterDetectedResult | Unset = UNSET
    custom_blocklists: CustomBlocklistResults | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sexual = self.sexual.to_dict()

        violence = self.violence.to_dict()

        hate = self.hate.to_dict()

        self_harm = self.self_harm.to_dict()

        profanity: dict[str, Any] | Unset = UNSET
        if not isinstance(self.profanity, Unset):
            profanity = self.profanity.to_dict()

        jailbreak: dict[str, Any] | Unset = UNSET
        if not isinstance(self.jailbreak, Unset):
            jailbreak = self.jailbreak.to_dict()

        custom_blocklists: dict[str, Any] | Unset = UNSET
        if not isinstance(self.custom_blocklists, Unset):
            custom_blocklists = self.custom_blocklists.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "sexual": sexual,
                "violence": violence,
                "hate": hate,
                "self_harm": self_harm,
            }
        )
        if profanity is not UNSET:
            field_dict["profanity"] = profanity
        if jailbreak is not UNSET:
            field_dict["jailbreak"] = jailbreak
        if custom_blocklists is not UNSET:
            field_dict["custom_blocklists"] = custom_blocklists

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content_filter_detected_result import ContentFilterDetectedResult  # noqa: PLC0415
        from ..models.content_filter_severity_result import ContentFilterSeverityResult  # noqa: PLC0415
        from ..models.custom_blocklist_results import CustomBlocklistResults  # noqa: PLC0415

        d = dict(src_dict)
        sexual = ContentFilterSeverityResult.from_dict(d.pop("sexual"))

        violence = ContentFilterSeverityResult.from_dict(d.pop("violence"))

        hate = ContentFilterSeverityResult.from_dict(d.pop("hate"))

        self_harm = ContentFilterSeverityResult.from_dict(d.pop("self_harm"))

        _profanity = d.pop("profanity", UNSET)
        profanity: ContentFilterDetectedResult | Unset
        if isinstance(_profanity, Unset):
            profanity = UNSET
        else:
            profanity = ContentFilterDetectedResult.from_dict(_profanity)

        _jailbreak = d.pop("jailbreak", UNSET)
        jailbreak: ContentFilterDetectedResult | Unset
        if isinstance(_jailbreak, Unset):
            jailbreak = UNSET
        else:
            jailbreak = ContentFilterDetectedResult.from_dict(_jailbreak)

        _custom_blocklists = d.pop("custom_blocklists", UNSET)
        custom_blocklists: CustomBlocklistResults | Unset
        if isinstance(_custom_blocklists, Unset):
            custom_blocklists = UNSET
        else:
            custom_blocklists = CustomBlocklistResults.from_dict(_custom_blocklists)

        prompt_filter_results = cls(
            sexual=sexual,
            violence=violence,
            hate=hate,
            self_harm=self_harm,
            profanity=profanity,
            jailbreak=jailbreak,
            custom_blocklists=custom_blocklists,
        )

        prompt_filter_results.additional_properties = d
        return prompt_filter_results

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
