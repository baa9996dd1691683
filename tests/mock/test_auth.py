"""Auth as each spec declares it: api-key header for azure, bearer for the others."""

from __future__ import annotations

import pytest

from tests.mock.conftest import ENDPOINTS, KEY, Mock, auth_headers
from tests.mock.test_validation import assert_matches_response_schema


def test_missing_credentials_get_401(mock: Mock, variant: str) -> None:
    response = mock.client.post(
        ENDPOINTS[variant],
        json={"prompt": "p"},
    )
    assert response.status_code == 401, response.text
    assert_matches_response_schema(variant, 401, response.json())


@pytest.mark.parametrize("key", ["", "   "])
def test_empty_key_gets_401(mock: Mock, variant: str, key: str) -> None:
    response = mock.generate(variant, {"prompt": "p"}, headers=auth_headers(variant, key))
    assert response.status_code == 401, response.text


def test_any_non_empty_key_is_accepted_by_default(mock: Mock, variant: str) -> None:
    response = mock.generate(variant, {"prompt": "p"}, headers=auth_headers(variant, "whatever"))
    assert response.status_code == 200, response.text


def test_api_key_option_restricts_keys(strict_mock: Mock, variant: str) -> None:
    wrong = strict_mock.generate(variant, {"prompt": "p"}, headers=auth_headers(variant, "other"))
    assert wrong.status_code == 401, wrong.text
    right = strict_mock.generate(variant, {"prompt": "p"}, headers=auth_headers(variant, KEY))
    assert right.status_code == 200, right.text


def test_bearer_needs_the_bearer_scheme(mock: Mock) -> None:
    response = mock.generate("dalle", {"prompt": "p"}, headers={"Authorization": "Basic abc"})
    assert response.status_code == 401


def test_azure_ignores_authorization_and_reads_api_key(strict_mock: Mock) -> None:
    both = {"api-key": KEY, "Authorization": f"Bearer {KEY}"}
    assert strict_mock.generate("azure", {"prompt": "p"}, headers=both).status_code == 200
    bearer_only = {"api-key": "", "Authorization": f"Bearer {KEY}"}
    assert strict_mock.generate("azure", {"prompt": "p"}, headers=bearer_only).status_code == 401
