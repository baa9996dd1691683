from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.custom_blocklist_detail import CustomBlocklistDetail


T = TypeVar("T", bound="CustomBlocklistResults")


@_attrs_define(kw_only=True)
class CustomBlocklistResults:
    """
    Attributes:
        filtered (bool):
        details (list[CustomBlocklistDetail]):
    """

    filtered: bool
    details: list[CustomBlocklistDetail]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        filtered = self.filtered

        details = []
        for details_item_data in self.details:
            details_item = details_item_data.to_dict()
            details.append(details_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "filtered": filtered,
                "details": details,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.custom_blocklist_detail import CustomBlocklistDetail  # noqa: PLC0415

        d = dict(src_dict)
        filtered = d.pop("filtered")

        details = []
        _details = d.pop("details")
        for details_item_data in _details:
            details_item = CustomBlocklistDetail.from_dict(details_item_data)

            details.append(details_item)

        custom_blocklist_results = cls(
            filtered=filtered,
            details=details,
        )

        custom_blocklist_results.additional_properties = d
        return custom_blocklist_results

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
