"""FHIR R4 Questionnaire (SDC style) and CodeSystems of a form version, from its question tree.

* one canonical ``url`` for the form, semver ``version`` (with the versionAlgorithm extension);
* ``linkId`` = the JSON property path (``bedomning.perioder.fran``), so plain JSON and
  QuestionnaireResponse map onto each other mechanically;
* conditional questions use ``enableWhen``; help texts are ``display`` children with the
  item-control ``help``; ``maxLength``, ``regex``, ``minValue``/``maxValue`` carry the limits;
* code lists are ``answerOption`` codings from our own CodeSystems, published beside it.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from ._form import Kodverk, Villkor
from ._registry import CANONICAL_BASE, FormVersion
from ._tree import Node, question_tree

EXT_REGEX = "http://hl7.org/fhir/StructureDefinition/regex"
EXT_MIN_VALUE = "http://hl7.org/fhir/StructureDefinition/minValue"
EXT_MAX_VALUE = "http://hl7.org/fhir/StructureDefinition/maxValue"
EXT_ITEM_CONTROL = "http://hl7.org/fhir/StructureDefinition/questionnaire-itemControl"
EXT_ENTRY_FORMAT = "http://hl7.org/fhir/StructureDefinition/entryFormat"
EXT_VERSION_ALGORITHM = (
    "http://hl7.org/fhir/5.0/StructureDefinition/extension-Questionnaire.versionAlgorithm[x]"
)
SDC_PROFILE = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaire"

FHIR_TYPE = {
    "group": "group",
    "string": "string",
    "text": "text",
    "date": "date",
    "boolean": "boolean",
    "integer": "integer",
    "choice": "choice",
}

ENTRY_FORMATS = {
    "date": "ÅÅÅÅ-MM-DD",
}


def codesystem_url(kv: Kodverk) -> str:
    """Canonical url of a code list's CodeSystem."""
    return f"{CANONICAL_BASE}:CodeSystem:{kv.id}"


def codesystem_version(form: FormVersion) -> str:
    """The version of the CodeSystems published with a form version (the form's own)."""
    return form.version


HELP_KEY = "hjalp"
"""The last part of a help item's linkId (``bedomning.perioder.hjalp``)."""


def help_link_id(node: Node) -> str | None:
    """The linkId of the ``display`` item that carries a question's help text, if it has one."""
    return f"{node.link_id}.{HELP_KEY}" if node.help else None


def coding(kv: Kodverk, code: str | int) -> dict[str, Any]:
    """The FHIR Coding of ``code`` in ``kv`` (integer codes are written as text)."""
    return {"system": codesystem_url(kv), "code": str(code), "display": kv.display(code)}


def _enable_when(node: Node, parent_link: str, siblings: dict[str, Node]) -> dict[str, Any]:
    cond: Villkor = node.condition  # type: ignore[assignment]
    ctrl = siblings[cond.when.field]
    question = f"{parent_link}.{ctrl.key}" if parent_link else ctrl.key
    values = cond.when.any_of or cond.when.none_of
    operator = "=" if cond.when.any_of else "!="
    whens: list[dict[str, Any]] = []
    for v in values:
        raw = v.value if isinstance(v, Enum) else v
        when: dict[str, Any] = {"question": question, "operator": operator}
        if ctrl.kind == "boolean":
            when["answerBoolean"] = raw
        elif ctrl.kodverk is not None:
            when["answerCoding"] = coding(ctrl.kodverk, raw)
        else:  # pragma: no cover - every condition in the forms is on a boolean or a code
            raise TypeError(f"{node.link_id}: condition on {ctrl.kind} is not supported")
        whens.append(when)
    out: dict[str, Any] = {"enableWhen": whens}
    if len(whens) > 1:
        out["enableBehavior"] = "any" if cond.when.any_of else "all"
    return out


def _item(node: Node, parent_link: str, siblings: dict[str, Node]) -> dict[str, Any]:
    item: dict[str, Any] = {
        "linkId": node.link_id,
        "text": node.title,
        "type": FHIR_TYPE[node.kind],
    }
    extensions: list[dict[str, Any]] = []
    if node.pattern and node.pattern != r"\S":
        extensions.append({"url": EXT_REGEX, "valueString": node.pattern})
    if node.min_value is not None:
        extensions.append({"url": EXT_MIN_VALUE, "valueInteger": node.min_value})
    if node.max_value is not None:
        extensions.append({"url": EXT_MAX_VALUE, "valueInteger": node.max_value})
    if node.kind in ENTRY_FORMATS:
        extensions.append({"url": EXT_ENTRY_FORMAT, "valueString": ENTRY_FORMATS[node.kind]})
    if extensions:
        item["extension"] = extensions
    if node.condition is not None and node.condition.mode == "enable":
        item.update(_enable_when(node, parent_link, siblings))
    if node.required:
        item["required"] = True
    if node.repeats:
        item["repeats"] = True
    if node.max_length is not None:
        item["maxLength"] = node.max_length
    if node.kodverk is not None:
        item["answerOption"] = [
            {"valueCoding": coding(node.kodverk, code)} for code in node.kodverk.codes
        ]
    children: list[dict[str, Any]] = []
    help_link = help_link_id(node)
    if help_link is not None:
        children.append(
            {
                "linkId": help_link,
                "text": node.help,
                "type": "display",
                "extension": [
                    {
                        "url": EXT_ITEM_CONTROL,
                        "valueCodeableConcept": {
                            "coding": [
                                {
                                    "system": "http://hl7.org/fhir/questionnaire-item-control",
                                    "code": "help",
                                    "display": "Help-Button",
                                }
                            ]
                        },
                    }
                ],
            }
        )
    if node.kind == "group":
        kids = {c.key: c for c in node.children}
        children.extend(_item(c, node.link_id, kids) for c in node.children)
    if children:
        item["item"] = children
    return item


def _name(form_id: str) -> str:
    return "".join(part.capitalize() for part in form_id.split("-"))


def build_questionnaire(form: FormVersion) -> dict[str, Any]:
    """The FHIR R4 Questionnaire of a form version, as JSON data (deterministic)."""
    top = question_tree(form.model)
    siblings = {n.key: n for n in top}
    return {
        "resourceType": "Questionnaire",
        "id": f"{form.form_id}-{form.version.replace('.', '-')}",
        "meta": {"profile": [SDC_PROFILE]},
        "extension": [
            {
                "url": EXT_VERSION_ALGORITHM,
                "valueCoding": {
                    "system": "http://hl7.org/fhir/version-algorithm",
                    "code": "semver",
                },
            }
        ],
        "url": form.canonical,
        "version": form.version,
        "name": _name(form.form_id),
        "title": form.title,
        "status": "active",
        "subjectType": ["Patient"],
        "date": form.date,
        "publisher": "intyg",
        "description": (
            f"{form.title} {form.subtitle}. Genererad av intyg från formulärdefinitionen "
            f"{form.model.__module__}.{form.model.__qualname__}; ändra inte för hand."
        ),
        "jurisdiction": [{"coding": [{"system": "urn:iso:std:iso:3166", "code": "SE"}]}],
        "language": "sv",
        "item": [_item(n, "", siblings) for n in top],
    }


def kodverk_of(form: FormVersion) -> list[Kodverk]:
    """The code lists a form version uses, in form order, each once."""
    seen: dict[str, Kodverk] = {}
    for top in question_tree(form.model):
        for n in top.walk():
            if n.kodverk is not None:
                seen.setdefault(n.kodverk.id, n.kodverk)
    return list(seen.values())


def build_codesystem(kv: Kodverk, form: FormVersion) -> dict[str, Any]:
    """The FHIR R4 CodeSystem of one code list, versioned with the form."""
    return {
        "resourceType": "CodeSystem",
        "id": f"{kv.id}-{form.version.replace('.', '-')}",
        "url": codesystem_url(kv),
        "version": codesystem_version(form),
        "name": _name(kv.id),
        "title": kv.title,
        "status": "active",
        "date": form.date,
        "publisher": "intyg",
        "description": f"Kodverk i {form.title} {form.version}.",
        "caseSensitive": True,
        "content": "complete",
        "count": len(kv.codes),
        "concept": [{"code": str(c), "display": d} for c, d in kv.codes.items()],
    }
