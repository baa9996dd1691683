"""Where each variant's credential comes from and how it is sent, read from the spec.

The key is read from `IMAGEGEN_<VARIANT>_API_KEY` (e.g. `IMAGEGEN_GPT_IMAGE_API_KEY`) and only
ever handed on by name: Schemathesis' config says `${IMAGEGEN_DALLE_API_KEY}`, and every report
shows the placeholder `$IMAGEGEN_DALLE_API_KEY` where the key was sent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from imagegen_spec.core.operation import Auth, operation


@dataclass(frozen=True)
class CredentialScheme(Auth):
    """How a variant authenticates (its operation's `Auth`), and how a request carries a key."""

    def carries(self, headers: Mapping[str, str], key: str) -> bool:
        """Tell whether request headers (any case) send exactly `key`."""
        wanted = self.header.lower()
        values = [value for name, value in headers.items() if name.lower() == wanted]
        return len(values) == 1 and values[0].strip() == self.header_value(key)

    def absent(self, headers: Mapping[str, str]) -> bool:
        """Tell whether request headers lack the credential header altogether."""
        return all(name.lower() != self.header.lower() for name in headers)


def env_var(variant: str) -> str:
    """The environment variable holding a variant's key: `IMAGEGEN_<VARIANT>_API_KEY`."""
    return f"IMAGEGEN_{re.sub(r'[^A-Z0-9]', '_', variant.upper())}_API_KEY"


def placeholder(variant: str) -> str:
    """What reports show instead of the key: a shell reference to its variable."""
    return f"${env_var(variant)}"


def credential_scheme(variant: str) -> CredentialScheme:
    """The one security scheme the variant's operation requires, as the spec declares it."""
    auth = operation(variant).auth
    return CredentialScheme(auth.scheme_name, auth.header, auth.bearer, auth.scheme)
