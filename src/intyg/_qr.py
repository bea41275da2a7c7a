"""Certificate <-> FHIR R4 QuestionnaireResponse, lossless in both directions.

Going out, every answered question becomes an item whose ``linkId`` is its JSON property path;
the patient and the doctor also go out as ``subject`` and ``author`` identifiers with the HL7
Sweden systems. Coming in, the response is checked as a FHIR R4 resource (a quick check for the
plain responses most senders write, else ``fhir.resources``, R4B, the same QuestionnaireResponse
as R4) and against the Questionnaire of the version it names:
unknown or misplaced linkIds, answers of the wrong type, several answers to a single question
and codes from a foreign code system give coded problems; answers to disabled questions are
reported by the form's own check (``conditional_forbidden``). The older Inera OIDs for
personnummer, samordningsnummer and HSA-id are accepted on input.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ._errors import ConversionError
from ._form import Section
from ._problems import Problem, format_path, join_path, make_problem, safe_link_id
from ._qr_quick import plainly_conformant
from ._questionnaire import codesystem_url, coding
from ._registry import FormVersion, all_forms, get_form
from ._tree import Node, nodes_by_link_id, question_tree

SYSTEM_PERSONNUMMER = "http://electronichealth.se/identifier/personnummer"
SYSTEM_SAMORDNINGSNUMMER = "http://electronichealth.se/identifier/samordningsnummer"
SYSTEM_HSA_ID = "urn:oid:1.2.752.29.4.19"
SYSTEM_UUID = "urn:ietf:rfc:3986"

PERSONID_SYSTEMS_IN = frozenset(
    {
        SYSTEM_PERSONNUMMER,
        SYSTEM_SAMORDNINGSNUMMER,
        "urn:oid:1.2.752.129.2.1.3.1",  # personnummer, Inera/RIV-TA
        "urn:oid:1.2.752.129.2.1.3.3",  # samordningsnummer, Inera/RIV-TA
    }
)
HSA_SYSTEMS_IN = frozenset({SYSTEM_HSA_ID, "urn:oid:1.2.752.129.2.1.4.1"})

_VALUE_KEY = {
    "string": "valueString",
    "text": "valueString",
    "date": "valueDate",
    "boolean": "valueBoolean",
    "integer": "valueInteger",
    "choice": "valueCoding",
}
_KIND_SV = {
    "string": "text",
    "text": "text",
    "date": "datum",
    "boolean": "ja/nej",
    "integer": "heltal",
    "choice": "kod",
}


# ---------------------------------------------------------------- certificate -> response


def _answer(node: Node, value: Any) -> dict[str, Any]:
    if node.kind == "choice":
        assert node.kodverk is not None
        return {"valueCoding": coding(node.kodverk, value.value)}
    if node.kind == "date":
        return {"valueDate": value.isoformat()}
    return {_VALUE_KEY[node.kind]: value}


def _items_out(nodes: Sequence[Node], obj: Any) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for node in nodes:
        value = getattr(obj, node.key)
        if value is None:
            continue
        if node.kind == "group":
            for inst in value if node.repeats else (value,):
                out.append(
                    {
                        "linkId": node.link_id,
                        "text": node.title,
                        "item": _items_out(node.children, inst),
                    }
                )
        else:
            values = value if node.repeats else (value,)
            out.append(
                {
                    "linkId": node.link_id,
                    "text": node.title,
                    "answer": [_answer(node, v) for v in values],
                }
            )
    return out


def _form_of_model(intyg: Section) -> FormVersion:
    formular = getattr(intyg, "formular", None)
    return get_form(formular.id, formular.version)  # type: ignore[union-attr]


def to_questionnaire_response(intyg: Section) -> dict[str, Any]:
    """A validated certificate as a FHIR R4 QuestionnaireResponse (JSON data).

    >>> import intyg
    >>> qr = intyg.to_fhir(intyg.load(intyg.example()))
    >>> qr["questionnaire"]
    'urn:intyg:fhir:Questionnaire:lakarintyg-socialnamnd|1.0.0'
    """
    form = _form_of_model(intyg)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": SYSTEM_UUID, "value": f"urn:uuid:{intyg.intygsid}"},  # type: ignore[attr-defined]
        "questionnaire": f"{form.canonical}|{form.version}",
        "status": "completed",
    }
    patient = getattr(intyg, "patient", None)
    if patient is not None:
        pid: str = patient.personid
        system = SYSTEM_SAMORDNINGSNUMMER if int(pid[6:8]) > 60 else SYSTEM_PERSONNUMMER
        data["subject"] = {"identifier": {"system": system, "value": pid}}
    data["authored"] = intyg.signeringsdatum.isoformat()  # type: ignore[attr-defined]
    utfardare = getattr(intyg, "utfardare", None)
    if utfardare is not None:
        data["author"] = {"identifier": {"system": SYSTEM_HSA_ID, "value": utfardare.hsa_id}}
    data["item"] = _items_out(question_tree(form.model), intyg)
    return data


# ---------------------------------------------------------------- response -> certificate


class _Reader:
    def __init__(self, form: FormVersion) -> None:
        self.form = form
        self.all_links = nodes_by_link_id(form.model)
        self.problems: list[Problem] = []

    def fail(self, code: str, path: str, ctx: Mapping[str, Any] | None = None) -> None:
        self.problems.append(make_problem(code, path, ctx))

    def items(self, items: Any, nodes: Sequence[Node], target: dict[str, Any], base: str) -> None:
        by_link = {n.link_id: n for n in nodes}
        for it in items if isinstance(items, list) else ():
            link = it.get("linkId") if isinstance(it, Mapping) else None
            node = by_link.get(link) if isinstance(link, str) else None
            if node is None:
                code = "fhir_misplaced_item" if link in self.all_links else "fhir_unknown_link_id"
                self.fail(code, safe_link_id(link))
                continue
            if node.kind == "group":
                self.group(it, node, target, base)
            else:
                self.question(it, node, target, base)

    def group(self, it: Mapping[str, Any], node: Node, target: dict[str, Any], base: str) -> None:
        child: dict[str, Any] = {}
        if node.repeats:
            bucket = target.setdefault(node.key, [])
            path = f"{join_path(base, node.key)}[{len(bucket)}]"
            bucket.append(child)
        else:
            path = join_path(base, node.key)
            if node.key in target:
                self.fail("fhir_duplicate_item", path)
                return
            target[node.key] = child
        if it.get("answer"):
            self.fail("fhir_wrong_answer_type", path, {"expected": "en grupp av frågor"})
        self.items(it.get("item"), node.children, child, path)

    def question(
        self, it: Mapping[str, Any], node: Node, target: dict[str, Any], base: str
    ) -> None:
        path = join_path(base, node.key)
        if node.key in target:
            self.fail("fhir_duplicate_item", path)
            return
        if it.get("item"):
            self.fail("fhir_misplaced_item", path)
        answers = it.get("answer") or []
        if not answers:
            return  # unanswered: the form decides whether that is allowed
        if len(answers) > 1 and not node.repeats:
            self.fail("fhir_multiple_answers", path)
            return
        values: list[Any] = []
        for i, ans in enumerate(answers):
            apath = f"{path}[{i}]" if node.repeats else path
            if ans.get("item"):
                self.fail("fhir_misplaced_item", apath)
            value = self.value(ans, node, apath)
            if value is not _MISSING:
                values.append(value)
        if len(values) == len(answers):
            target[node.key] = values if node.repeats else values[0]

    def value(self, ans: Mapping[str, Any], node: Node, path: str) -> Any:
        expected = _VALUE_KEY[node.kind]
        keys = [k for k in ans if k.startswith("value")]
        if keys != [expected]:
            self.fail("fhir_wrong_answer_type", path, {"expected": _KIND_SV[node.kind]})
            return _MISSING
        raw = ans[expected]
        if node.kind != "choice":
            return raw
        assert node.kodverk is not None
        system = codesystem_url(node.kodverk)
        if not isinstance(raw, Mapping) or raw.get("system") != system:
            self.fail("fhir_wrong_code_system", path, {"system": system})
            return _MISSING
        code = raw.get("code")
        if node.code_type is int:
            if not (isinstance(code, str) and code.isascii() and code.isdigit()):
                self.fail("invalid_code", path)
                return _MISSING
            return int(code)
        return code


_MISSING = object()


def _fhir_parse(data: Mapping[str, Any]) -> None:
    """Check the response against the FHIR R4 (R4B) QuestionnaireResponse structure.

    A response in the plain part of R4 that most senders write is accepted by a quick check
    (:mod:`intyg._qr_quick`); every other response is checked by ``fhir.resources``.
    """
    if plainly_conformant(data):
        return
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    try:
        QuestionnaireResponse.model_validate(dict(data))
    except ValidationError as exc:
        problems = [
            make_problem("fhir_invalid_resource", format_path(e["loc"]), {"detail": e["type"]})
            for e in exc.errors()[:20]
        ]
        raise ConversionError(problems) from None
    except (TypeError, ValueError):
        raise ConversionError(
            [make_problem("fhir_invalid_resource", "", {"detail": "struktur"})]
        ) from None


def _digits(value: str) -> str:
    return value.replace("-", "").replace("+", "")


def _check_identifier(
    reader: _Reader,
    ref: Any,
    where: str,
    systems: frozenset[str],
    target: dict[str, Any],
    section: str,
    key: str,
) -> None:
    ident = ref.get("identifier") if isinstance(ref, Mapping) else None
    if not isinstance(ident, Mapping):
        return
    if ident.get("system") not in systems:
        reader.fail("fhir_unknown_identifier_system", f"{where}.identifier.system")
        return
    value = ident.get("value")
    if not isinstance(value, str):
        return
    part = target.get(section)
    if not isinstance(part, dict):
        return
    answered = part.get(key)
    if answered is None:
        part[key] = value  # the identifier is the only place the response gives it
    elif not (isinstance(answered, str) and _digits(value).endswith(_digits(answered))):
        reader.fail(
            "fhir_identifier_mismatch", f"{where}.identifier.value", {"field": f"{section}.{key}"}
        )


def questionnaire_response_to_dict(data: Mapping[str, Any]) -> dict[str, Any]:
    """A QuestionnaireResponse (JSON data) as a plain certificate dict, not yet validated.

    Raises:
        ConversionError: the response is not a valid R4 QuestionnaireResponse of a known form,
            or its items do not fit the Questionnaire.
        FormVersionError: it names an unsupported version of the form.
    """
    if data.get("resourceType") != "QuestionnaireResponse":
        raise ConversionError([make_problem("fhir_wrong_resource_type", "resourceType")])
    _fhir_parse(data)
    canonical = data.get("questionnaire")
    if not isinstance(canonical, str):
        raise ConversionError([make_problem("fhir_missing_questionnaire", "questionnaire")])
    url, _, version = canonical.partition("|")
    known = {f.canonical: f for f in all_forms()}
    if url not in known:
        expected = ", ".join(sorted(known))
        raise ConversionError(
            [make_problem("fhir_wrong_questionnaire", "questionnaire", {"url": expected})]
        )
    form = get_form(known[url].form_id, version)
    reader = _Reader(form)
    out: dict[str, Any] = {"formular": {"id": form.form_id, "version": form.version}}
    reader.items(data.get("item"), question_tree(form.model), out, "")
    _check_identifier(
        reader, data.get("subject"), "subject", PERSONID_SYSTEMS_IN, out, "patient", "personid"
    )
    _check_identifier(
        reader, data.get("author"), "author", HSA_SYSTEMS_IN, out, "utfardare", "hsa_id"
    )
    if reader.problems:
        raise ConversionError(reader.problems)
    return out
