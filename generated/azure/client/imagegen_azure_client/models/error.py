from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.inner_error import InnerError


T = TypeVar("T", bound="Error")


@_attrs_define(kw_only=True)
class Error:
    """What went wrong.

    Attributes:
        code (str): An error code, for example `invalid_value`, `content_policy_violation` or `429`.
        message (str): A human-readable description of the error.
        param (str | Unset): The request parameter the error is about; absent when the error is about no one parameter.
        type_ (str | Unset): The error category, for example `invalid_request_error`.
        inner_error (InnerError | Unset): Details of a content-filter refusal.
    """

    code: str
    message: str
    param: str | Unset = UNSET
    type_: str | Unset = UNSET
    inner_error: InnerError | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        param = self.param

        type_ = self.type_

        inner_error: dict[str, Any] | Unset = UNSET
        if not isinstance(self.inner_error, Unset):
            inner_error = self.inner_error.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if param is not UNSET:
            field_dict["param"] = param
        if type_ is not UNSET:
            field_dict["type"] = type_
        if inner_error is not UNSET:
            field_dict["inner_error"] = inner_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.inner_error import InnerError  # noqa: PLC0415

        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        param = d.pop("param", UNSET)

        type_ = d.pop("type", UNSET)

        _inner_error = d.pop("inner_error", UNSET)
        inner_error: InnerError | Unset
        if isinstance(_inner_error, Unset):
            inner_error = UNSET
        else:
            inner_error = InnerError.from_dict(_inner_error)

        error = cls(
            code=code,
            message=message,
            param=param,
            type_=type_,
            inner_error=inner_error,
        )

        error.additional_properties = d
        return error

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
