"""Generated reference pages under ``docs/``: field list, problem codes, CLI help.

Run ``python -m intyg._reference --write`` after changing the form, the codes or the CLI;
``tests/test_docs.py`` fails when a committed page differs from what this module generates.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from ._fieldchecks import NON_BLANK_PATTERN
from ._fieldtypes import (
    ARBETSPLATSKOD_PATTERN,
    HSA_ID_PATTERN,
    ICF_B_PATTERN,
    ICF_D_PATTERN,
    POSTNUMMER_PATTERN,
    TELEFON_PATTERN,
    UUID_PATTERN,
)
from ._icd10 import ICD10_PATTERN
from ._personid import PERSONID_PATTERN
from ._problems import CATALOGUE, MAX_PROBLEMS
from ._registry import all_forms
from ._tree import Node, condition_text, question_tree

_KIND_SV = {
    "group": "grupp",
    "string": "kort text",
    "text": "lång text",
    "date": "datum",
    "boolean": "ja/nej",
    "integer": "heltal",
    "choice": "kod",
}
_HEADER = "<!-- Genererad av `python -m intyg._reference --write`; ändra inte för hand. -->\n\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _walk_with_siblings(
    nodes: tuple[Node, ...],
) -> list[tuple[Node, tuple[Node, ...]]]:
    out: list[tuple[Node, tuple[Node, ...]]] = []
    for n in nodes:
        out.append((n, nodes))
        out.extend(_walk_with_siblings(n.children))
    return out


_PATTERN_SV: dict[str, str] = {
    NON_BLANK_PATTERN: "",  # every text: said once above the table
    UUID_PATTERN: "UUID: 8-4-4-4-12 hexadecimala tecken med bindestreck",
    PERSONID_PATTERN: (
        "12 siffror `ÅÅÅÅMMDDNNNN` med eller utan `-` före de fyra sista, eller 10 siffror "
        "`ÅÅMMDDNNNN` med `-`, `+` (100 år eller äldre) eller inget; datum och kontrollsiffra "
        "prövas, och födelsedatumet får inte ligga efter intygets datum eller mer än 130 år "
        "före det"
    ),
    ICD10_PATTERN: (
        "ICD-10 med versaler: bokstav och två siffror, eventuellt punkt och ett eller två tecken "
        "(`F32`, `F32.1`, `F43.8A`); prövas mot kodlistan"
    ),
    ICF_B_PATTERN: "`b` och 3–5 siffror",
    ICF_D_PATTERN: "`d` och 3–5 siffror",
    HSA_ID_PATTERN: "HSA-id: `SE`, 10 siffror, `-` och 1–20 bokstäver eller siffror",
    POSTNUMMER_PATTERN: "5 siffror, gärna med mellanslag efter de tre första",
    TELEFON_PATTERN: "eventuellt `+`, en siffra och 4–24 siffror, mellanslag, `(`, `)` eller `-`",
    ARBETSPLATSKOD_PATTERN: "1–10 siffror",
}
"""The form's text patterns as falt.md says them; a pattern missing here stops the generator
(a new pattern is described before the page is written)."""


def _pattern_sv(pattern: str) -> str:
    try:
        return _PATTERN_SV[pattern]
    except KeyError:
        raise KeyError(f"falt.md: no description of the pattern {pattern!r}") from None


def fields_markdown() -> str:
    """Every question of every form version: linkId/JSON path, question, type, rules."""
    out = [_HEADER, "# Fältförteckning\n"]
    out.append(
        "\nVarje fråga i formuläret med sin JSON-sökväg (lika med FHIR `linkId`), frågetext, "
        "svarstyp och regler. Listor anges med `[]` i JSON; `linkId` saknar index.\n"
        "\nKort text (FHIR `string`) är tänkt för en rad och lång text (FHIR `text`) för flera. "
        "Ingen text får vara tom eller bara blanksteg eller innehålla styrtecken (C0-tecken utom "
        "tabb, radmatning och vagnretur, samt DEL). Radbrytningar godtas i båda slagen, men i kort "
        "text ger de varningen `text_line_break_in_single_line`; en text med bara osynliga tecken "
        "(till exempel nollbreddstecken) ger varningen `text_not_visible`.\n"
    )
    for form in all_forms():
        out.append(f"\n## {form.title} {form.version}\n\n")
        out.append("| linkId / JSON | Fråga | Typ | Krav | Gränser och koder |\n")
        out.append("| --- | --- | --- | --- | --- |\n")
        for n, siblings in _walk_with_siblings(question_tree(form.model)):
            kind = _KIND_SV[n.kind] + (", lista" if n.repeats else "")
            need = "obligatorisk" if n.required and n.condition is None else ""
            if n.condition is not None:
                need = f"{condition_text(n, siblings)}{'' if n.required else ' (frivillig)'}"
            if not need:
                need = "frivillig"
            limits: list[str] = []
            if n.min_items is not None or n.max_items is not None:
                limits.append(f"{n.min_items or 0}–{n.max_items} st")
            if n.pattern is not None and (described := _pattern_sv(n.pattern)):
                limits.append(described)
            if n.kind == "date":
                limits.append("ÅÅÅÅ-MM-DD, 1900–2199")
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
        "JSON Schemat kontrollerar samma sak; övriga regler kontrolleras bara av intyg. "
        '"Slag" anger vilket undantag som bär koden: `validation` IntygValidationError '
        "(FormVersionError för formulärversionen; `validate` listar dem i sin rapport), "
        "`conversion` ConversionError, `ruleset` RuleSetError, `render` RenderError, `output` "
        "OutputError och `schema` SchemaDriftError; alla är IntygError. Koder av slaget "
        "`validation` kommer också i ConversionError: när ett svar i en "
        "QuestionnaireResponse inte kan bli intygets värde (till exempel en kod som inte "
        "finns), och när en bedömning som ges till `render` inte följer sitt schema. "
        f"Högst {MAX_PROBLEMS} problem listas; finns "
        "fler står `too_many_problems` sist och räknar resten. Den har slaget `any`: den "
        "bärs av samma undantag som de övriga problemen. Koder av slaget `usage` bärs inte av "
        "något undantag: kommandoraden avvisar ett felaktigt anrop med dem (slutstatus 2, på "
        "stderr som `intyg KOMMANDO: fel i anropet: ARGUMENT: meddelande [kod]`) innan något "
        "läses eller skrivs.\n\n"
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


def questions_markdown() -> str:
    """Per-question text of the doctors' guide: the same titles and help texts as the form."""
    from ._registry import get_form

    form = get_form()
    out = [f"\nFormulärversion {form.version}.\n"]

    def emit(node: Node, depth: int, siblings: tuple[Node, ...]) -> None:
        if node.kind == "group" and depth == 0:
            out.append(f"\n### {node.title}\n")
            if node.help:
                out.append(f"\n{node.help}\n")
        else:
            line = f"- **{node.title}**"
            if node.condition is not None:
                line += f" ({condition_text(node, siblings)})"
            if node.help:
                line += f": {node.help}"
            out.append(("  " * max(depth - 1, 0)) + line + "\n")
        for child in node.children:
            emit(child, depth + 1, node.children)

    top_nodes = question_tree(form.model)
    for top in top_nodes:
        emit(top, 0, top_nodes)
    return "".join(out)


GUIDE = "skriva-intyget.md"
_START, _END = "<!-- fragor:start -->\n", "<!-- fragor:end -->"


def guide_page(current: str) -> str:
    """The doctors' guide with its generated per-question part brought up to date."""
    head, _, rest = current.partition(_START)
    _, _, tail = rest.partition(_END)
    return head + _START + questions_markdown() + "\n" + _END + tail


def rules_markdown() -> str:
    """The assessment support's rule catalogue, from its rule files."""
    from ._assessment import render_catalogue_markdown

    return render_catalogue_markdown()


PAGES: dict[str, Callable[[], str]] = {
    "falt.md": fields_markdown,
    "felkoder.md": codes_markdown,
    "cli.md": cli_markdown,
    "regelkatalog.md": rules_markdown,
}


def main(argv: list[str] | None = None) -> int:
    """Check the generated pages in ``docs/`` (exit 1 when one is stale), or write them with
    ``--write``."""
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
    guide = root / GUIDE
    if guide.is_file():
        current = guide.read_text("utf-8")
        updated = guide_page(current)
        if updated != current:
            if args.write:
                guide.write_text(updated, "utf-8")
                print(f"skrev {guide}")
            else:
                stale.append(GUIDE)
    for name in stale:
        print(f"inaktuell: {root / name}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
