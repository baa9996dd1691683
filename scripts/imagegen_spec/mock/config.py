"""Settings of the mock server (all optional; the defaults suit tests and local use)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from imagegen_spec.core.specs import variants

LOOPBACK_ORIGINS = "loopback"
"""In `cors_origins`: every origin on this machine (localhost, 127.0.0.1, [::1], any port)."""
ANY_ORIGIN = "*"


@dataclass(frozen=True)
class MockConfig:
    """How the mock behaves beyond what the specs say.

    - api_key: the only key accepted; None accepts any non-empty key.
    - blocked_terms: prompt terms (case-insensitive) refused as each provider refuses content.
    - url_ttl_seconds: how long `url` images are served (the dalle spec: "valid for 60 minutes").
    - url_secret: the key that signs image URLs; workers and replicas that share it serve each
      other's URLs (None: a random key, so only this process serves its URLs).
    - public_url: the origin image URLs start with (None: the address the request came in on,
      never the client's `Host` header).
    - latency_ms: delay added to every request; a request adds its own with `Prefer: delay=MS`.
    - failure_rate: share (0..1) of requests answered with a random declared 5xx.
    - seed: seed of the random failures, so a run can be repeated.
    - retry_after: `Retry-After` seconds sent with 429s (None: the spec's example value).
    - max_body_bytes: request bodies above this get 413.
    - cors_origins: browser origins allowed to call the mock (LOOPBACK_ORIGINS, ANY_ORIGIN or
      exact origins such as http://app.test:3000); empty switches CORS off.
    - variants: which variants to serve (default: every spec).
    """

    api_key: str | None = None
    blocked_terms: tuple[str, ...] = ("forbidden",)
    url_ttl_seconds: float = 3600.0
    url_secret: str | None = None
    public_url: str | None = None
    latency_ms: float = 0.0
    failure_rate: float = 0.0
    seed: int = 0
    retry_after: int | None = None
    max_body_bytes: int = 1_048_576
    cors_origins: tuple[str, ...] = (LOOPBACK_ORIGINS,)
    variants: tuple[str, ...] = field(default_factory=variants)

    def __post_init__(self) -> None:
        """Reject settings that cannot work, naming them."""
        if not 0.0 <= self.failure_rate <= 1.0:
            raise ValueError(f"failure_rate must be between 0 and 1, not {self.failure_rate}")
        if not 0 <= self.latency_ms <= 60_000:
            raise ValueError(f"latency_ms must be from 0 to 60000, not {self.latency_ms}")
        if not (math.isfinite(self.url_ttl_seconds) and self.url_ttl_seconds >= 0.001):
            raise ValueError(
                f"url_ttl_seconds must be a finite number of at least 0.001, "
                f"not {self.url_ttl_seconds}"
            )
        if self.max_body_bytes <= 0:
            raise ValueError(f"max_body_bytes must be positive, not {self.max_body_bytes}")
        if self.retry_after is not None and self.retry_after < 0:
            raise ValueError(f"retry_after must not be negative, not {self.retry_after}")
        if any(not term.strip() for term in self.blocked_terms):
            raise ValueError(
                "blocked_terms must not hold an empty term (it would block every prompt)"
            )
        if self.url_secret is not None and not self.url_secret:
            raise ValueError("url_secret must not be empty")
        if self.public_url is not None:
            parts = urlsplit(self.public_url)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.query:
                raise ValueError(
                    f"public_url must be an http(s) origin such as http://127.0.0.1:8000, "
                    f"not {self.public_url!r}"
                )
        for origin in self.cors_origins:
            parts = urlsplit(origin)
            exact = parts.scheme in ("http", "https") and parts.netloc and not parts.path
            if origin not in (LOOPBACK_ORIGINS, ANY_ORIGIN) and not exact:
                raise ValueError(
                    f"cors_origins must hold {LOOPBACK_ORIGINS!r}, {ANY_ORIGIN!r} or origins "
                    f"such as http://app.test:3000, not {origin!r}"
                )
        unknown = set(self.variants) - set(variants())
        if unknown:
            raise ValueError(f"unknown variants {sorted(unknown)}; known: {list(variants())}")
