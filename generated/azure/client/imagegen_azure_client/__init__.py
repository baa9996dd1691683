"""A client library for accessing Azure OpenAI style image generation (azure variant)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
