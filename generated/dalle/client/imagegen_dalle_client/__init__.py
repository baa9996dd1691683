"""A client library for accessing DALL-E image generation (dalle variant)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
