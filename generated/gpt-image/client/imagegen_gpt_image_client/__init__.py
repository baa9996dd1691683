"""A client library for accessing gpt-image style image generation (gpt-image variant)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
