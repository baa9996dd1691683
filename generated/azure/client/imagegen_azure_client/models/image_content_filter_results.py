from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.content_filter_severity_result import ContentFilterSeverityResult


T = TypeVar("T", bound="ImageContentFilterResults")


@_attrs_define(kw_only=True)
class ImageContentFilterResults:
    """The content-filter results of a generated image, one entry per category.

    Attributes:
        sexual (ContentFilterSeverityResult):
        violence (ContentFilterSeverityResult):
        hate (ContentFilterSeverityResult):
        self_harm (ContentFilterSeverityResult):
    """

    sexual: ContentFilterSeverityResult
    violence: ContentFilterSeverityResult
    hate: ContentFilterSeverityResult
    self_harm: ContentFilterSeverityResult
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        sexual = self.sexual.to_dict()

        violence = self.violence.to_dict()

        hate = self.hate.to_dict()

        self_harm = self.self_harm.to_dict()

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

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.content_filter_severity_result import ContentFilterSeverityResult  # noqa: PLC0415

        d = dict(src_dict)
        sexual = ContentFilterSeverityResult.from_dict(d.pop("sexual"))

        violence = ContentFilterSeverityResult.from_dict(d.pop("violence"))

        hate = ContentFilterSeverityResult.from_dict(d.pop("hate"))

        self_harm = ContentFilterSeverityResult.from_dict(d.pop("self_harm"))

        image_content_filter_results = cls(
            sexual=sexual,
            violence=violence,
            hate=hate,
            self_harm=self_harm,
        )

        image_content_filter_results.additional_properties = d
        return image_content_filter_results

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
