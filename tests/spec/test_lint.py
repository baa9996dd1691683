"""Both validators pass on every spec, and the Redocly config really rejects bad examples."""

from __future__ import annotations

from pathlib import Path

import pytest

from imagegen_spec.core.specs import spec_path
from imagegen_spec.lint import (
    lint_with_redocly,
    main,
    validate_with_openapi_spec_validator,
)


def test_openapi_spec_validator_accepts(variant: str) -> None:
    result = validate_with_openapi_spec_validator(variant)
    assert result.ok, f"openapi-spec-validator should accept {variant}: {result.output}"


def test_redocly_lint_is_clean(variant: str) -> None:
    result = lint_with_redocly(str(spec_path(variant)))
    assert result.ok, f"redocly lint should report no error and no warning:\n{result.output}"


@pytest.mark.parametrize(
    ("original", "broken", "rule"),
    [
        (
            "                      - url: https://images.example.com/img-1.png",
            "                      - url: 17",
            "no-invalid-media-type-examples",
        ),
        (
            "    ImageStyle:\n      type: string\n      enum: [vivid, natural]\n",
            "    ImageStyle:\n      type: string\n      enum: [vivid, natural]\n"
            "    Unused:\n      type: string\n",
            "no-unused-components",
        ),
    ],
    ids=["invalid-example", "unused-component"],
)
def test_redocly_config_rejects(tmp_path: Path, original: str, broken: str, rule: str) -> None:
    text = spec_path("dalle").read_text(encoding="utf-8")
    assert original in text, "the planted edit must apply to spec/dalle.yaml"
    planted = tmp_path / "dalle.yaml"
    planted.write_text(text.replace(original, broken, 1), encoding="utf-8")
    result = lint_with_redocly(str(planted))
    assert not result.ok, f"redocly should fail on a planted {rule} problem"
    assert rule in result.output, f"expected rule {rule} in:\n{result.output}"


def test_lint_command_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dalle"]) == 0, capsys.readouterr().out
    with pytest.raises(SystemExit):
        main(["no-such-variant"])
