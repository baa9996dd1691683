"""The README's decision table and docs/decisions.md are generated from the specs: no drift."""

from __future__ import annotations

import pytest

from imagegen_spec.core.specs import load_spec
from imagegen_spec.provenance.__main__ import DECISIONS, README, main, rendered
from imagegen_spec.provenance.render import END, START, place, with_table


def test_readme_and_decisions_page_are_up_to_date() -> None:
    for path, text in rendered(README.read_text(encoding="utf-8")).items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} is stale: run nox -s docs"


def test_check_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0, capsys.readouterr()


def test_every_entry_is_on_the_decisions_page(variant: str) -> None:
    page = DECISIONS.read_text(encoding="utf-8")
    from imagegen_spec.core.provenance import collect

    for entry in collect(load_spec(variant)):
        assert f"`spec/{variant}.yaml#{entry.pointer}`" in page
        assert entry.decision in page


def test_summaries_make_the_readme_table() -> None:
    readme = README.read_text(encoding="utf-8")
    block = readme[readme.index(START) : readme.index(END)]
    assert "| gpt-image | `CreateImageRequest.stream` |" in block
    assert "seed" not in block.lower()


def test_with_table_needs_the_markers() -> None:
    with pytest.raises(ValueError, match="decisions:start"):
        with_table("no markers here", "| table |")
    assert with_table(f"a\n{START}\nold\n{END}\nb", "new") == f"a\n{START}\n\nnew\n\n{END}\nb"


@pytest.mark.parametrize(
    ("variant", "pointer", "expected"),
    [
        ("azure", "/info", "the API"),
        ("azure", "/components/securitySchemes/apiKey", "security scheme `apiKey`"),
        (
            "azure",
            "/paths/~1deployments~1{deploymentId}~1images~1generations/post/parameters/1",
            "parameter `api-version` (query)",
        ),
        ("dalle", "/components/schemas/CreateImageRequest/allOf/0", "`CreateImageRequest rule 1`"),
        (
            "gpt-image",
            "/components/schemas/CreateImageRequest/properties/n",
            "`CreateImageRequest.n`",
        ),
        ("gpt-image", "/servers/0", "server `https://{host}/v1`"),
    ],
)
def test_place_names(variant: str, pointer: str, expected: str) -> None:
    assert place(load_spec(variant), pointer) == expected
