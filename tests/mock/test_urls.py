"""Signed, expiring, stateless image URLs: any app with the secret serves them, nothing else."""

from __future__ import annotations

import io
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from PIL import Image
from starlette.testclient import TestClient

from imagegen_spec.mock.app import create_app
from imagegen_spec.mock.config import MockConfig
from imagegen_spec.mock.images import ImageSpec, prompt_seed
from imagegen_spec.mock.urls import RejectedUrl, SignedImage, UrlSigner
from tests.mock.conftest import Mock, assert_in_error_shape, in_process

SPEC = ImageSpec(prompt_seed("lighthouse"), 1, 512, 256, "webp", transparent=True, compression=80)


def split(url: str) -> tuple[str, str]:
    """The name below the images path and the query of an image URL."""
    parts = urlsplit(url)
    return parts.path.removeprefix("/_mock/images/"), parts.query


def test_a_url_names_its_picture_and_round_trips() -> None:
    signer = UrlSigner(b"secret", 60, clock=lambda: 1000.0)
    url = signer.url("http://127.0.0.1:8000", "dalle", SPEC)
    assert url.startswith("http://127.0.0.1:8000/_mock/images/dalle/img-"), url
    assert "&se=1060000&sig=" in url, f"expected the expiry in milliseconds in {url}"
    found = signer.read(*split(url))
    assert found == SignedImage("dalle", SPEC), f"expected the same picture back, got {found}"


@pytest.mark.parametrize(
    ("old", "new"),
    [("size=512x256", "size=512x512"), ("bg=transparent", "bg=opaque"), ("q=80", "q=81")],
)
def test_an_altered_url_is_refused(old: str, new: str) -> None:
    signer = UrlSigner(b"secret", 60)
    url = signer.url("http://h", "dalle", SPEC)
    assert old in url, url
    found = signer.read(*split(url.replace(old, new)))
    assert isinstance(found, RejectedUrl), f"expected {old} -> {new} to be refused, got {found}"
    assert "signed" in found.reason, found.reason


def test_another_secret_or_an_extra_parameter_is_refused() -> None:
    url = UrlSigner(b"one", 60).url("http://h", "dalle", SPEC)
    assert isinstance(UrlSigner(b"two", 60).read(*split(url)), RejectedUrl)
    assert isinstance(UrlSigner(b"one", 60).read(*split(url + "&x=1")), RejectedUrl)


def test_a_url_expires_at_its_time() -> None:
    now = [1000.0]
    signer = UrlSigner(b"secret", 10, clock=lambda: now[0])
    url = signer.url("http://h", "dalle", SPEC)
    now[0] = 1009.999
    assert isinstance(signer.read(*split(url)), SignedImage), "expected it served before expiry"
    now[0] = 1010.0
    found = signer.read(*split(url))
    assert isinstance(found, RejectedUrl), "expected it refused at its expiry"
    assert "expired" in found.reason, found.reason


@pytest.fixture
def shared_secret_apps() -> Iterator[tuple[Mock, Mock, Mock]]:
    """Two apps sharing a URL secret (two replicas) and one with another secret."""
    first = in_process(MockConfig(url_secret="shared"))
    second = in_process(MockConfig(url_secret="shared"))
    stranger = in_process(MockConfig(url_secret="other"))
    yield next(first), next(second), next(stranger)
    for generator in (first, second, stranger):
        generator.close()


def test_a_replica_with_the_secret_serves_another_ones_url(
    shared_secret_apps: tuple[Mock, Mock, Mock],
) -> None:
    first, second, stranger = shared_secret_apps
    url = first.generate("dalle", {"prompt": "heron", "size": "256x256"}).json()["data"][0]["url"]
    served = second.client.get(url)
    assert served.status_code == 200, served.text
    assert Image.open(io.BytesIO(served.content)).size == (256, 256)
    assert served.content == first.client.get(url).content, "expected identical bytes"
    refused = stranger.client.get(url)
    assert refused.status_code == 404, "expected an app with another secret to refuse it"
    assert_in_error_shape("dalle", refused.json())


@pytest.mark.parametrize("variant", ["dalle", "gpt-image", "azure"])
def test_a_refused_url_answers_in_the_variants_shape(mock: Mock, variant: str) -> None:
    response = mock.client.get(f"/_mock/images/{variant}/img-{'0' * 32}-0.png?size=1x1")
    assert response.status_code == 404
    assert_in_error_shape(variant, response.json())


def test_urls_use_the_public_url_not_the_clients_host() -> None:
    with TestClient(create_app(MockConfig(public_url="https://mock.example:9000"))) as client:
        response = client.post(
            "/dalle/v1/images/generations",
            json={"prompt": "p"},
            headers={"Authorization": "Bearer k", "Host": "evil.example"},
        )
    url = response.json()["data"][0]["url"]
    assert url.startswith("https://mock.example:9000/_mock/images/"), url


def test_urls_default_to_the_bound_address_not_the_host_header(mock: Mock) -> None:
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Host": "evil.example:1"})
    url = response.json()["data"][0]["url"]
    assert url.startswith("http://testserver/_mock/images/"), url
