"""What the cost guard counted in the Schemathesis process, and how the runner reads it back.

The guard writes `guard-stats.json` when the child process exits; the runner, the plan and the
tests read it. The document's shape is `GuardStatsJSON`, written by `GuardStats.to_json` and read
by `GuardStats.from_json`, so both sides name the same keys. A missing or unreadable file is an
error (`StatsMissing`), never zero requests: in a live run it is the only count of what may have
been billed.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict, cast

from imagegen_spec.shared.errors import UserError


class GuardStatsJSON(TypedDict):
    """`guard-stats.json`: counts by phase (and, for withheld requests, by reason first)."""

    sent: dict[str, int]
    billable: dict[str, int]
    images: dict[str, int]
    paid: dict[str, int]
    paid_beyond_spec: dict[str, int]
    withheld: dict[str, dict[str, int]]
    blocked: list[str]


class StatsMissing(UserError):
    """The guard's stats were not written (the child was killed, or never loaded the hooks)."""


@dataclass
class GuardStats:
    """What the guard let through and held back, by phase.

    `billable` counts requests the spec accepts sent with the key (a provider may generate
    images for them), `images` how many images they ask for; `paid` counts what the cap counts
    (billable requests answered 2xx or not answered), `paid_beyond_spec` those of them the spec
    rejects: a lenient server accepted them.
    """

    sent: Counter[str] = field(default_factory=Counter)
    billable: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    paid: Counter[str] = field(default_factory=Counter)
    paid_beyond_spec: Counter[str] = field(default_factory=Counter)
    withheld: dict[str, Counter[str]] = field(default_factory=dict)
    blocked: list[str] = field(default_factory=list)

    def to_json(self) -> GuardStatsJSON:
        """The stats as plain JSON data."""
        return {
            "sent": dict(self.sent),
            "billable": dict(self.billable),
            "images": dict(self.images),
            "paid": dict(self.paid),
            "paid_beyond_spec": dict(self.paid_beyond_spec),
            "withheld": {reason: dict(phases) for reason, phases in self.withheld.items()},
            "blocked": list(self.blocked),
        }

    @classmethod
    def from_json(cls, data: GuardStatsJSON) -> GuardStats:
        """The stats a `to_json` document holds."""
        return cls(
            sent=Counter(data["sent"]),
            billable=Counter(data["billable"]),
            images=Counter(data["images"]),
            paid=Counter(data["paid"]),
            paid_beyond_spec=Counter(data["paid_beyond_spec"]),
            withheld={reason: Counter(phases) for reason, phases in data["withheld"].items()},
            blocked=list(data["blocked"]),
        )

    def write(self, path: Path) -> None:
        """Write the stats file the runner reads."""
        path.write_text(json.dumps(self.to_json(), indent=2) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> GuardStats:
        """Read a stats file; StatsMissing when there is none or it is not one."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_json(cast(GuardStatsJSON, data))
        except FileNotFoundError:
            raise StatsMissing(
                f"the cost guard wrote no stats ({path}): what was sent and paid is unknown"
            ) from None
        except (OSError, ValueError, KeyError, TypeError) as error:
            raise StatsMissing(f"the cost guard's stats ({path}) cannot be read: {error}") from None

    def withheld_total(self, reason: str) -> int:
        """Requests withheld for one reason, over all phases."""
        return sum(self.withheld.get(reason, Counter()).values())
