"""The clients that every API function takes: `Client` and `AuthenticatedClient`.

Both keep to the official openai SDK's safe defaults: a finite timeout (`DEFAULT_TIMEOUT`), two
retries of a 408, 409, 429 or 5xx answer and of a connection error, waiting what the server's
`retry-after-ms` or `Retry-After` header asks (at most `MAX_RETRY_WAIT` seconds) or backing off
exponentially (`default_retry`, an httpx-retries `Retry`), and an `errors.UnexpectedStatus` for a
status the spec does not declare. Every argument is keyword-only, and `with_headers`,
`with_cookies` and `with_timeout` return a new, independent client: the original is unchanged.
"""

import ssl
from collections.abc import Mapping
from typing import Any, Self

import httpx
from attrs import define, evolve, field
from httpx_retries import Retry, RetryTransport

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=5.0)
"""The openai SDK's default: 10 minutes for an answer (an image takes a while), 5 s to connect."""

RETRY_STATUSES = frozenset({408, 409, 429, *range(500, 600)})
"""The statuses the openai SDK retries: timeout, conflict, rate limit, and every server error."""

MAX_RETRIES = 2
MAX_RETRY_WAIT = 60.0
"""The longest wait before one retry, in seconds, whatever `Retry-After` asks."""
MAX_TOTAL_RETRY_WAIT = 120.0
"""The longest wait, in seconds, summed over the retries of one request."""


class ProviderRetry(Retry):
    """httpx-retries' `Retry`, reading OpenAI's and Azure's `retry-after-ms` before `Retry-After`."""

    def _calculate_sleep(self, headers: httpx.Headers | Mapping[str, str]) -> float:
        milliseconds = (
            headers.get("retry-after-ms", "").strip()
            if self.respect_retry_after_header
            else ""
        )
        try:
            wait = float(milliseconds) / 1000
        except ValueError:
            return super()._calculate_sleep(headers)
        if not 0 <= wait < float("inf"):
            return super()._calculate_sleep(headers)
        wait = min(wait, self.max_backoff_wait)
        if self.total_timeout is not None:
            wait = min(wait, max(0.0, self.total_timeout - self.elapsed_sleep))
        return wait


def default_retry() -> Retry:
    """The retry policy of a new client (pass `retry=Retry(total=0)` to a client to turn it off).

    POST is retried, as the openai SDK does: a 408, 409, 429 or 5xx answer means the request was
    not carried out.
    """
    return ProviderRetry(
        total=MAX_RETRIES,
        allowed_methods=[
            "DELETE",
            "GET",
            "HEAD",
            "OPTIONS",
            "PATCH",
            "POST",
            "PUT",
            "TRACE",
        ],
        status_forcelist=RETRY_STATUSES,
        backoff_factor=0.5,
        max_backoff_wait=MAX_RETRY_WAIT,
        total_timeout=MAX_TOTAL_RETRY_WAIT,
    )


@define(kw_only=True)
class Client:
    """A client for the API's unauthenticated calls, holding the httpx clients it makes.

    Keyword arguments:

        ``base_url``: The base URL of the API; every request goes to a path relative to it.

        ``cookies``: Cookies sent with every request.

        ``headers``: Headers sent with every request.

        ``timeout``: How long a request may take (default `DEFAULT_TIMEOUT`); an API function
        raises httpx.TimeoutException past it. `None` waits for ever.

        ``retry``: The retry policy, an httpx-retries `Retry` (default `default_retry()`).

        ``verify_ssl``: Whether to verify the server's TLS certificate (keep True in production).

        ``follow_redirects``: Whether to follow redirects (default False).

        ``httpx_args``: Further arguments of ``httpx.Client`` and ``httpx.AsyncClient``; a
        ``transport`` given here is wrapped by the retry layer.

    Attributes:
        raise_on_unexpected_status: Whether to raise errors.UnexpectedStatus when the API answers
            a status the spec does not declare (default True); False returns None instead.
    """

    raise_on_unexpected_status: bool = True
    _base_url: str = field(alias="base_url")
    _cookies: dict[str, str] = field(factory=dict, alias="cookies")
    _headers: dict[str, str] = field(factory=dict, alias="headers")
    _timeout: httpx.Timeout | None = field(default=DEFAULT_TIMEOUT, alias="timeout")
    _retry: Retry = field(factory=default_retry, alias="retry")
    _verify_ssl: str | bool | ssl.SSLContext = field(default=True, alias="verify_ssl")
    _follow_redirects: bool = field(default=False, alias="follow_redirects")
    _httpx_args: dict[str, Any] = field(factory=dict, alias="httpx_args")
    _client: httpx.Client | None = field(default=None, init=False)
    _async_client: httpx.AsyncClient | None = field(default=None, init=False)

    def with_headers(self, headers: dict[str, str]) -> Self:
        """Return a new, independent client that also sends these headers."""
        return evolve(self, headers={**self._headers, **headers})

    def with_cookies(self, cookies: dict[str, str]) -> Self:
        """Return a new, independent client that also sends these cookies."""
        return evolve(self, cookies={**self._cookies, **cookies})

    def with_timeout(self, timeout: httpx.Timeout) -> Self:
        """Return a new, independent client with this timeout."""
        return evolve(self, timeout=timeout)

    def _request_headers(self) -> dict[str, str]:
        return dict(self._headers)

    def _client_args(
        self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport
    ) -> dict[str, Any]:
        args = {
            key: value for key, value in self._httpx_args.items() if key != "transport"
        }
        return {
            "base_url": self._base_url,
            "cookies": self._cookies,
            "headers": self._request_headers(),
            "timeout": self._timeout,
            "verify": self._verify_ssl,
            "follow_redirects": self._follow_redirects,
            "transport": RetryTransport(transport=transport, retry=self._retry),
            **args,
        }

    def set_httpx_client(self, client: httpx.Client) -> Self:
        """Use this httpx.Client as it is (its own timeout and transport: no retry layer added)."""
        self._client = client
        return self

    def get_httpx_client(self) -> httpx.Client:
        """Return the underlying httpx.Client, made on first use."""
        if self._client is None:
            transport = self._httpx_args.get("transport") or httpx.HTTPTransport(
                verify=self._verify_ssl
            )
            self._client = httpx.Client(**self._client_args(transport))
        return self._client

    def __enter__(self) -> Self:
        """Enter the underlying httpx.Client (you cannot enter twice, see httpx)."""
        self.get_httpx_client().__enter__()
        return self

    def __exit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit the underlying httpx.Client."""
        self.get_httpx_client().__exit__(*args, **kwargs)

    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Self:
        """Use this httpx.AsyncClient as it is (no retry layer added)."""
        self._async_client = async_client
        return self

    def get_async_httpx_client(self) -> httpx.AsyncClient:
        """Return the underlying httpx.AsyncClient, made on first use."""
        if self._async_client is None:
            transport = self._httpx_args.get("transport") or httpx.AsyncHTTPTransport(
                verify=self._verify_ssl
            )
            self._async_client = httpx.AsyncClient(**self._client_args(transport))
        return self._async_client

    async def __aenter__(self) -> Self:
        """Enter the underlying httpx.AsyncClient (you cannot enter twice, see httpx)."""
        await self.get_async_httpx_client().__aenter__()
        return self

    async def __aexit__(self, *args: Any, **kwargs: Any) -> None:
        """Exit the underlying httpx.AsyncClient."""
        await self.get_async_httpx_client().__aexit__(*args, **kwargs)


@define(kw_only=True)
class AuthenticatedClient(Client):
    """A `Client` that sends a credential with every request (the keyword arguments of `Client`).

    Attributes:
        token: The credential (API key or token).
        prefix: What goes before the token in the header ("" for none).
        auth_header_name: The header that carries the credential.
    """

    token: str
    prefix: str = "Bearer"
    auth_header_name: str = "Authorization"

    def _request_headers(self) -> dict[str, str]:
        credential = f"{self.prefix} {self.token}" if self.prefix else self.token
        return {**self._headers, self.auth_header_name: credential}
