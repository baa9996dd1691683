from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.image_gen_server_sent_event_event import (
    ImageGenServerSentEventEvent,
    check_image_gen_server_sent_event_event,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="ImageGenServerSentEvent")


@_attrs_define(kw_only=True)
class ImageGenServerSentEvent:
    """One server-sent event of a streamed response, as the `text/event-stream` framing carries
    it: `event` names the event's type and `data` holds the event's JSON object (an
    `ImageGenStreamEvent`) on one line, whose `type` is the same name.

        Attributes:
            event (ImageGenServerSentEventEvent): The event's type, the same as the `type` of the object in `data`.
            data (str): The event's JSON object.
            id (str | Unset): The event's id, if the server sends one.
            retry (int | Unset): The reconnection time in milliseconds, if the server sends one.
    """

    event: ImageGenServerSentEventEvent
    data: str
    id: str | Unset = UNSET
    retry: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event: str = self.event

        data = self.data

        id = self.id

        retry = self.retry

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "data": data,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if retry is not UNSET:
            field_dict["retry"] = retry

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        event = check_image_gen_server_sent_event_event(d.pop("event"))

        data = d.pop("data")

        id = d.pop("id", UNSET)

        retry = d.pop("retry", UNSET)

        image_gen_server_sent_event = cls(
            event=event,
            data=data,
            id=id,
            retry=retry,
        )

        image_gen_server_sent_event.additional_properties = d
        return image_gen_server_sent_event

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
