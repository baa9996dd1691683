from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.content_filter_severity import (
    ContentFilterSeverity,
    check_content_filter_severity,
)

T = TypeVar("T", bound="ContentFilterSeverityResult")


@_attrs_define(kw_only=True)
class ContentFilterSeverityResult:
    """
    Attributes:
        filtered (bool):
        severity (ContentFilterSeverity):
    """

    filtered: bool
    severity: ContentFilterSeverity
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filtered = self.filtered

        severity: str = self.severity

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filtered": filtered,
                "severity": severity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        filtered = d.pop("filtered")

        severity = check_content_filter_severity(d.pop("severity"))

        content_filter_severity_result = cls(
            filtered=filtered,
            severity=severity,
        )

        content_filter_severity_result.additional_properties = d
        return content_filter_severity_result

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
