"""Documentation is tested: README examples run, generated pages are current, links resolve."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

import intyg
from intyg import _reference
from intyg._cli import build_parser
from intyg._problems import CATALOGUE

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)


def test_readme_python_examples_run() -> None:
    blocks = _python_blocks((ROOT / "README.md").read_text("utf-8"))
    assert blocks
    for block in blocks:
        exec(compile(block, "README.md", "exec"), {})


def test_docs_python_examples_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An example may read "intyg.json" in the working directory: the embedded example's.
    import intyg
    from render_support import require_weasyprint

    require_weasyprint()  # the examples make PDFs
    (tmp_path / "intyg.json").write_text(intyg.example_json(), "utf-8")
    monkeypatch.chdir(tmp_path)
    ran = 0
    for page in sorted(DOCS.glob("*.md")):
        for block in _python_blocks(page.read_text("utf-8")):
            exec(compile(block, f"docs/{page.name}", "exec"), {})
            ran += 1
    assert ran


def test_readme_starts_with_the_two_commands() -> None:
    text = (ROOT / "README.md").read_text("utf-8")
    commands = re.findall(r"```sh\n(.*?)\n```", text, flags=re.DOTALL)
    assert len(commands) >= 2
    ci = (ROOT / ".ci" / "run").read_text("utf-8")
    assert commands[1] in ci.splitlines()


@pytest.mark.parametrize("name", sorted(_reference.PAGES))
def test_generated_reference_page_is_current(name: str) -> None:
    if name == "cli.md" and sys.version_info >= (3, 13):
        pytest.skip("docs/cli.md holds argparse's help as Python 3.11 and 3.12 print it")
    expected = _reference.PAGES[name]()
    assert (DOCS / name).read_text("utf-8") == expected, (
        f"docs/{name} is stale: run python -m intyg._reference --write"
    )


def test_every_cli_command_is_in_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:  # type: ignore[attr-defined]
        assert f"intyg {name}" in readme, name


def test_every_problem_code_is_documented() -> None:
    text = (DOCS / "felkoder.md").read_text("utf-8")
    for code in CATALOGUE:
        assert f"`{code}`" in text, code


def test_relative_links_resolve() -> None:
    pages = [ROOT / "README.md", *sorted(DOCS.glob("*.md"))]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text("utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_performance_page_counts_the_corpus_as_it_is() -> None:
    from korpus import CORPUS

    text = (DOCS / "prestanda.md").read_text("utf-8")
    assert f"(`tests/korpus.py`): {len(CORPUS)} fall" in text


def test_docstring_examples_run() -> None:
    # The examples in docstrings (what help() shows) are run as doctests.
    import doctest
    import importlib

    src = Path(intyg.__file__).parent
    tried = 0
    for path in sorted(src.rglob("*.py")):
        if ">>>" not in path.read_text("utf-8"):
            continue
        parts = path.relative_to(src.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        result = doctest.testmod(importlib.import_module(name), verbose=False)
        assert result.failed == 0, name
        tried += result.attempted
    assert tried >= 10


def test_every_described_text_pattern_is_one_the_form_has() -> None:
    # The field list says each pattern in words (a new one stops the generator); a description
    # of a pattern the form no longer has would be dead text.
    from intyg._reference import _PATTERN_SV, _walk_with_siblings
    from intyg._registry import all_forms
    from intyg._tree import question_tree

    used = {
        n.pattern
        for form in all_forms()
        for n, _ in _walk_with_siblings(question_tree(form.model))
        if n.pattern is not None
    }
    assert used == set(_PATTERN_SV)
