"""A client library for accessing OpenAI image generation (openai variant)"""

from .client import AuthenticatedClient, Client

__all__ = (
    "AuthenticatedClient",
    "Client",
)
