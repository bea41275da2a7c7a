"""Generated reference pages under ``docs/``: field list, problem codes, CLI help.

Run ``python -m intyg._reference --write`` after changing the form, the codes or the CLI;
``tests/test_docs.py`` fails when a committed page differs from what this module generates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ._problems import CATALOGUE
from ._registry import all_forms
from ._tree import Node, question_tree

_KIND_SV = {
    "group": "grupp",
    "string": "text (en rad)",
    "text": "text (flera rader)",
    "date": "datum",
    "boolean": "ja/nej",
    "integer": "heltal",
    "choice": "kod",
}
_HEADER = "<!-- Genererad av `python -m intyg._reference --write`; ändra inte för hand. -->\n\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _condition(node: Node) -> str:
    cond = node.condition
    if cond is None:
        return ""
    values = cond.when.any_of or cond.when.none_of
    shown = ", ".join(
        str(getattr(v, "value", v)).replace("True", "ja").replace("False", "nej") for v in values
    )
    op = "är" if cond.when.any_of else "är inte"
    verb = "besvaras om" if cond.mode == "enable" else "krävs om"
    return f"{verb} `{cond.when.field}` {op} {shown}"


def fields_markdown() -> str:
    """Every question of every form version: linkId/JSON path, question, type, rules."""
    out = [_HEADER, "# Fältförteckning\n"]
    out.append(
        "\nVarje fråga i formuläret med sin JSON-sökväg (lika med FHIR `linkId`), frågetext, "
        "svarstyp och regler. Listor anges med `[]` i JSON; `linkId` saknar index.\n"
    )
    for form in all_forms():
        out.append(f"\n## {form.title} {form.version}\n\n")
        out.append("| linkId / JSON | Fråga | Typ | Krav | Gränser och koder |\n")
        out.append("| --- | --- | --- | --- | --- |\n")
        for top in question_tree(form.model):
            for n in top.walk():
                kind = _KIND_SV[n.kind] + (", lista" if n.repeats else "")
                need = "obligatorisk" if n.required and n.condition is None else ""
                if n.condition is not None:
                    need = _condition(n) + ("" if n.required else " (frivillig)")
                if not need:
                    need = "frivillig"
                limits: list[str] = []
                if n.min_items is not None or n.max_items is not None:
                    limits.append(f"{n.min_items or 0}–{n.max_items} st")
                if n.max_length is not None:
                    limits.append(f"högst {n.max_length} tecken")
                if n.min_value is not None:
                    limits.append(f"{n.min_value}–{n.max_value}")
                if n.kodverk is not None:
                    limits.append(", ".join(f"`{c}`" for c in n.kodverk.codes))
                row = [f"`{n.link_id}`", n.title, kind, need, "; ".join(limits)]
                out.append("| " + " | ".join(_cell(c) for c in row) + " |\n")
    return "".join(out)


def codes_markdown() -> str:
    """Every problem code: severity, kind, whether the JSON Schema checks it too, message."""
    out = [_HEADER, "# Felkoder\n\n"]
    out.append(
        "Varje problem har en stabil kod, en sökväg till fältet och ett svenskt meddelande. "
        'Koderna ändras aldrig och återanvänds aldrig. "Schema" anger om det publicerade '
        "JSON Schemat kontrollerar samma sak; övriga regler kontrolleras bara av intyg.\n\n"
    )
    out.append("| Kod | Allvar | Slag | Schema | Meddelande |\n| --- | --- | --- | --- | --- |\n")
    for code, info in sorted(CATALOGUE.items()):
        sev = "fel" if info.severity == "error" else "varning"
        schema = "ja" if info.structural else ""
        out.append(f"| `{code}` | {sev} | {info.kind} | {schema} | {_cell(info.message)} |\n")
    return "".join(out)


def cli_markdown() -> str:
    """The help text of every CLI command."""
    from ._cli import build_parser

    parser = build_parser()
    out = [_HEADER, "# Kommandoraden\n\n", "```text\n", _help(parser), "```\n"]
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        out.append(f"\n## intyg {name}\n\n```text\n{_help(sub)}```\n")
    return "".join(out)


def _help(parser: argparse.ArgumentParser) -> str:
    import os

    old = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "100"
    try:
        return parser.format_help()
    finally:
        if old is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = old


PAGES: dict[str, Callable[[], str]] = {
    "falt.md": fields_markdown,
    "felkoder.md": codes_markdown,
    "cli.md": cli_markdown,
}


def main(argv: list[str] | None = None) -> int:
    """Write (``--write``) or check (``--check``) the generated pages in ``docs/``."""
    parser = argparse.ArgumentParser(prog="python -m intyg._reference")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dir", default="docs")
    args = parser.parse_args(argv)
    root = Path(args.dir)
    stale = []
    for name, gen in PAGES.items():
        text = gen()
        path = root / name
        if path.is_file() and path.read_text("utf-8") == text:
            continue
        if args.write:
            path.write_text(text, "utf-8")
            print(f"skrev {path}")
        else:
            stale.append(name)
    for name in stale:
        print(f"inaktuell: {root / name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
