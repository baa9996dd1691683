"""Settings of the mock server (all optional; the defaults suit tests and local use)."""

from __future__ import annotations

from dataclasses import dataclass, field

from imagegen_spec.core.specs import variants


@dataclass(frozen=True)
class MockConfig:
    """How the mock behaves beyond what the specs say.

    - api_key: the only key accepted; None accepts any non-empty key.
    - blocked_terms: prompt terms (case-insensitive) refused as each provider refuses content.
    - url_ttl_seconds: how long `url` images are served (the dalle spec: "valid for 60 minutes").
    - latency_ms: delay added to every request; a request adds its own with `Prefer: delay=MS`.
    - failure_rate: share (0..1) of requests answered with a random declared 5xx.
    - seed: seed of the random failures, so a run can be repeated.
    - retry_after: `Retry-After` seconds sent with 429s (None: the spec's example value).
    - max_body_bytes: request bodies above this get 413.
    - max_images / max_image_bytes: bounds of the in-memory store of `url` images.
    - variants: which variants to serve (default: every spec).
    """

    api_key: str | None = None
    blocked_terms: tuple[str, ...] = ("forbidden",)
    url_ttl_seconds: float = 3600.0
    latency_ms: float = 0.0
    failure_rate: float = 0.0
    seed: int = 0
    retry_after: int | None = None
    max_body_bytes: int = 1_048_576
    max_images: int = 1000
    max_image_bytes: int = 256 * 1_048_576
    variants: tuple[str, ...] = field(default_factory=variants)

    def __post_init__(self) -> None:
        """Reject settings that cannot work, naming them."""
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError(f"failure_rate must be between 0 and 1, not {self.failure_rate}")
        if not 0 <= self.latency_ms <= 60_000:
            raise ValueError(f"latency_ms must be from 0 to 60000, not {self.latency_ms}")
        for name in ("url_ttl_seconds", "max_body_bytes", "max_images", "max_image_bytes"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        unknown = set(self.variants) - set(variants())
        if unknown:
            raise ValueError(f"unknown variants {sorted(unknown)}; known: {list(variants())}")
