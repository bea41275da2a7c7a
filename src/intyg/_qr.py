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

Nothing in a response is dropped unnoticed. Only a finished response is read (``status``
``completed`` or ``amended``). The header must agree with the answers: ``identifier`` with
``intygsid``, ``subject`` with ``patient.personid`` (both read as 12 digits, the system matching
the kind of number) and ``author`` with ``utfardare.hsa_id``; where the answer is missing, the
header gives it, and the day of ``authored`` gives a missing ``signeringsdatum`` (otherwise
``authored``, when the answers were last changed, is not compared with the signing date).
Extensions, modifier elements and references the certificate has no place for are refused with
a code, as is anything in ``subject``, ``author`` and the identifiers besides what is read (the
identifier and the reference's ``type``, which must be what the identifier is: ``Patient``,
``Practitioner``; an identifier's system, value, ``use`` and ``type``). An identifier's ``use``
is a modifier element: ``official`` and ``usual`` leave its meaning to the system and are read
past, any other is refused. Its ``type`` only describes it and is read past. Technical elements
(``id``, ``meta``, ``text``, ``language``), an item's ``text``, a coding's ``display`` (both
follow from the Questionnaire), the display extension on ``questionnaire`` and the echo of a
help text (a ``display`` item, without an answer, where the Questionnaire has it) are read
past. A coding that names a ``version`` must name the version of the CodeSystems published with
the form. An integer must be a JSON integer (``30``, not ``30.0``), as FHIR's JSON says.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any

from ._errors import ConversionError, FormVersionError
from ._fieldchecks import iso_date
from ._form import Section
from ._personid import PersonIdError, parse_personid
from ._problems import (
    Problem,
    allowed_codes,
    format_path,
    join_path,
    limit_problems,
    make_problem,
    safe_link_id,
    safe_name,
)
from ._qr_quick import ID_PATTERN, URI_PATTERN, plainly_conformant
from ._questionnaire import HELP_KEY, codesystem_url, codesystem_version, coding, help_link_id
from ._read import MAX_DEPTH, MAX_ELEMENTS, check_shape, json_shaped
from ._registry import FormVersion, all_forms, get_form, unsupported_version
from ._tree import Node, nodes_by_link_id, question_tree
from ._v1._model import Intyg

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
SAMORDNINGSNUMMER_SYSTEMS_IN = frozenset({SYSTEM_SAMORDNINGSNUMMER, "urn:oid:1.2.752.129.2.1.3.3"})
FINISHED_STATUSES = frozenset({"completed", "amended"})
"""The statuses of a response that is read as a certificate (a finished one)."""
_MODIFIERS = frozenset({"modifierExtension", "implicitRules"})
_NOT_CARRIED = frozenset({"contained", "basedOn", "partOf", "encounter", "source"})
"""Elements of a response that say something the certificate has no place for."""
_IDENTIFIER_READ = frozenset({"system", "value", "use", "type"})
_IDENTIFIERS = frozenset({"identifier", "subject.identifier", "author.identifier"})
"""The identifiers reading compares with the answers."""
_READ_ONLY = {
    "subject": frozenset({"identifier", "type"}),
    "author": frozenset({"identifier", "type"}),
    "identifier": _IDENTIFIER_READ,
    "subject.identifier": _IDENTIFIER_READ,
    "author.identifier": _IDENTIFIER_READ,
}
"""Where only some elements are read: a reference or display beside the patient's or the
doctor's identifier (which could name someone else), or more to an identifier than its
system, value, use and type (an assigner, a period), would be lost."""
REFERENCE_TYPES = {"subject": "Patient", "author": "Practitioner"}
"""What ``subject`` and ``author`` refer to: the patient by personnummer or samordningsnummer,
the doctor by personal HSA-id (``utfardare.hsa_id``). A ``type`` must say the same."""
IDENTIFIER_USES_READ = frozenset({"official", "usual"})
"""An identifier's ``use`` (a modifier element in R4) that leaves its meaning to its system."""
_IDENTIFIER_USES = frozenset({"usual", "official", "temp", "secondary", "old"})
"""The codes of R4's IdentifierUse (a required binding)."""
EXT_DISPLAY = "http://hl7.org/fhir/StructureDefinition/display"
"""The extension that gives a canonical (``questionnaire``) a name to show."""
_INTEGER_KEYS = frozenset({"valueInteger", "valuePositiveInt", "valueUnsignedInt"})
_UUID_PREFIX = "urn:uuid:"
_UUID = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}")

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


def to_fhir(intyg: Intyg) -> dict[str, Any]:
    """A validated certificate as a FHIR R4 QuestionnaireResponse (JSON data).

    Raises:
        TypeError: ``intyg`` is not a validated certificate.

    >>> import intyg
    >>> qr = intyg.to_fhir(intyg.load(intyg.example()))
    >>> qr["questionnaire"]
    'urn:intyg:fhir:Questionnaire:lakarintyg-socialnamnd|1.0.0'
    """
    if not isinstance(intyg, Section) or getattr(intyg, "formular", None) is None:
        raise TypeError(
            "intyg.to_fhir: expected a validated certificate (intyg.load(...)), "
            f"not {type(intyg).__name__}"
        )
    form = _form_of_model(intyg)
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        # A URI names a UUID in lower case (RFC 4122, FHIR's uuid type); the answer below keeps
        # the id as written, and reading compares the two without regard to case.
        "identifier": {"system": SYSTEM_UUID, "value": f"urn:uuid:{intyg.intygsid.lower()}"},
        "questionnaire": f"{form.canonical}|{form.version}",
        "status": "completed",
    }
    patient = getattr(intyg, "patient", None)
    if patient is not None:
        pid: str = patient.personid
        system = SYSTEM_SAMORDNINGSNUMMER if int(pid[6:8]) > 60 else SYSTEM_PERSONNUMMER
        data["subject"] = {"identifier": {"system": system, "value": pid}}
    data["authored"] = intyg.signeringsdatum.isoformat()
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
        self.help_links = _help_links(form.model)
        self.codesystem_version = codesystem_version(form)
        self.problems: list[Problem] = []
        # The questions answered so far, by the group they are in (the dict they are read
        # into, held here so that its id is not reused): a second copy is a duplicate also when
        # the first one's answer could not be read.
        self.answered: dict[int, tuple[dict[str, Any], set[str]]] = {}

    def fail(self, code: str, path: str, ctx: Mapping[str, Any] | None = None) -> None:
        self.problems.append(make_problem(code, path, ctx))

    def items(
        self,
        items: Any,
        nodes: Sequence[Node],
        target: dict[str, Any],
        base: str,
        at: str,
        help_link: str | None = None,
    ) -> None:
        """The items of the top level or of a group; ``at`` is where they stand in the
        response (``item``, ``item[3].item``), ``help_link`` the group's help item."""
        by_link = {n.link_id: n for n in nodes}
        for i, it in enumerate(items if isinstance(items, list) else ()):
            link = it.get("linkId") if isinstance(it, Mapping) else None
            if help_link is not None and link == help_link:
                self.display(it, join_path(base, HELP_KEY))
                continue
            node = by_link.get(link) if isinstance(link, str) else None
            if node is None:
                if link in self.all_links or link in self.help_links:
                    # one of the form's own linkIds, in the wrong group: named as itself
                    self.fail("fhir_misplaced_item", safe_link_id(link))
                else:
                    # not the form's: it may hold anything (a name, a personnummer), so the
                    # item is named by its place in the response
                    self.fail("fhir_unknown_link_id", f"{at}[{i}].linkId")
                continue
            if node.kind == "group":
                self.group(it, node, target, base, f"{at}[{i}].item")
            else:
                self.question(it, node, target, base)

    def group(
        self, it: Mapping[str, Any], node: Node, target: dict[str, Any], base: str, at: str
    ) -> None:
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
        self.items(it.get("item"), node.children, child, path, at, help_link_id(node))

    def display(self, it: Mapping[str, Any], path: str) -> None:
        """The echo of a help text (a ``display`` item): read past, unless it has an answer
        (which would be lost) or items of its own."""
        if it.get("answer"):
            self.fail("fhir_answer_to_display_item", path)
        if it.get("item"):
            self.fail("fhir_misplaced_item", path)

    def displays(self, items: Any, node: Node, path: str) -> None:
        """Items nested in a question (beneath the item or an answer): only its help item."""
        help_link = help_link_id(node)
        others = False
        for it in items if isinstance(items, list) else ():
            link = it.get("linkId") if isinstance(it, Mapping) else None
            if help_link is not None and link == help_link:
                self.display(it, join_path(path, HELP_KEY))
            else:
                others = True
        if others:
            self.fail("fhir_misplaced_item", path)

    def question(
        self, it: Mapping[str, Any], node: Node, target: dict[str, Any], base: str
    ) -> None:
        path = join_path(base, node.key)
        answers = it.get("answer") or []
        if answers:  # an unanswered copy, before or after, adds nothing and loses nothing
            answered = self.answered.setdefault(id(target), (target, set()))[1]
            if node.key in answered:
                self.fail("fhir_duplicate_item", path)
                return
            answered.add(node.key)
        if it.get("item"):
            if answers:  # nested items beneath both the item and its answers (FHIR's qrs-1)
                self.fail("fhir_misplaced_item", path)
            else:
                self.displays(it["item"], node, path)
        if not answers:
            return  # unanswered: the form decides whether that is allowed
        if len(answers) > 1 and not node.repeats:
            self.fail("fhir_multiple_answers", path)
            return
        values: list[Any] = []
        for i, ans in enumerate(answers):
            apath = f"{path}[{i}]" if node.repeats else path
            if ans.get("item"):
                self.displays(ans["item"], node, apath)
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
        version = raw.get("version")
        if version is not None and version != self.codesystem_version:
            # The code is chosen from another version of the code system: its meaning there
            # is unknown.
            self.fail(
                "fhir_code_system_version_mismatch", path, {"version": self.codesystem_version}
            )
            return _MISSING
        code = raw.get("code")
        if node.code_type is int:
            # Exactly a code of the list ("2", never "02"): the code system has no other.
            if not (isinstance(code, str) and code in _int_codes(node.kodverk.codes)):
                allowed = allowed_codes(list(node.kodverk.codes))
                self.fail("invalid_code", path, {"allowed": allowed})
                return _MISSING
            return int(code)
        return code


_MISSING = object()


@cache
def _help_links(model: type[Section]) -> frozenset[str]:
    """The linkIds of a form's help items (``display`` items in its Questionnaire)."""
    return frozenset(
        link
        for top in question_tree(model)
        for n in top.walk()
        if (link := help_link_id(n)) is not None
    )


def _int_codes(codes: Mapping[str | int, str]) -> frozenset[str]:
    return frozenset(str(c) for c in codes)


_FHIR_DETAIL = {
    "missing": "uppgiften saknas",
    "extra_forbidden": "elementet finns inte i FHIR R4",
    "list_type": "ska vara en lista",
    "dict_type": "ska vara ett objekt",
    "model_type": "ska vara ett objekt",
    "model_attributes_type": "ska vara ett objekt",
    "model_validation_format": "ska vara ett objekt",
    "string_type": "ska vara text",
    "bool_type": "ska vara true eller false",
    "bool_parsing": "ska vara true eller false",
    "int_type": "ska vara ett heltal",
    "int_parsing": "ska vara ett heltal",
    "int_from_float": "ska vara ett heltal",
    "float_type": "ska vara ett tal",
    "too_short": "får inte vara tom",
    "string_too_short": "får inte vara tom",
    "null": "får inte vara null",
}
"""pydantic's error types from fhir.resources in Swedish; any other is an invalid value."""


def _fhir_parse(data: Mapping[str, Any]) -> tuple[bool, Mapping[str, Any]]:
    """Check the response against the FHIR R4 (R4B) QuestionnaireResponse structure. Returns
    whether it is in the plain part (then it holds no extension, modifier or reference that
    :func:`_unsupported_elements` looks for), and the response to read on.

    A response in the plain part of R4 that most senders write is accepted by a quick check
    (:mod:`intyg._qr_quick`, which nests items only as deep as a form can); every other response
    is held to :func:`check_shape`'s limits (``fhir.resources`` reads it recursively), read as
    JSON data (:func:`json_shaped`: ``fhir.resources`` reads a caller's tuple as an array, and so
    must every check after it) and then checked by ``fhir.resources``, :func:`_lax_primitives`
    and :func:`_loose_patterns`.
    """
    if plainly_conformant(data):
        return True, data
    check_shape(data, on_iterator=_iterator_problem)
    data = json_shaped(data)
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
    from pydantic import ValidationError

    # Contained resources are refused whatever they hold (fhir_element_not_supported, from
    # _unsupported_elements). Left out of this check, they do not make fhir.resources import
    # a model for each kind of resource named in them: an import on first use, which
    # warm_up() could not do ahead of time without importing all of them.
    checked = {k: v for k, v in data.items() if k != "contained"}
    problems = _text_for_object(checked, QuestionnaireResponse)
    if problems:
        raise ConversionError(limit_problems(problems))
    try:
        QuestionnaireResponse.model_validate(checked)
    except MemoryError:
        raise
    except ValidationError as exc:
        problems = [
            make_problem(
                "fhir_invalid_resource",
                # fhir.resources checks some elements as a whole, under the name "root"
                format_path(tuple(x for x in e["loc"] if x != "root")),
                {"detail": _FHIR_DETAIL.get(e["type"], "ogiltigt värde")},
            )
            for e in exc.errors(include_url=False, include_input=False)
        ]
        raise ConversionError(limit_problems(problems)) from None
    except Exception:  # a validator of fhir.resources that fails on odd input in its own way
        raise ConversionError(
            [make_problem("fhir_invalid_resource", "", {"detail": "struktur"})]
        ) from None
    problems = _lax_primitives(data) + _loose_patterns(checked, QuestionnaireResponse)
    if problems:
        raise ConversionError(limit_problems(problems))
    return False, data


@cache
def import_fhir_models() -> None:
    """Import every ``fhir.resources`` model the check of a response can use (its elements'
    data types, followed through each one's elements; not the resources a response may
    contain, which are not checked), so that no check imports one later: see
    :func:`intyg.warm_up`. Once per process: a call after the first has ended returns at once
    (two first calls at the same time both walk, to the same end)."""
    import typing

    from fhir.resources.R4B import get_fhir_model_class
    from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse

    seen: set[str] = set()
    models: list[Any] = [QuestionnaireResponse]
    while models:
        for info in models.pop().model_fields.values():
            annotations = [info.annotation]
            while annotations:
                annotation = annotations.pop()
                annotations.extend(typing.get_args(annotation))
                name = getattr(annotation, "__name__", "")
                # fhir.resources names a field's data type by a class "<Name>Type"
                if not (isinstance(annotation, type) and name.endswith("Type")):
                    continue
                model_name = name.removesuffix("Type")
                if model_name in seen or model_name == "Resource":
                    continue
                seen.add(model_name)
                try:
                    models.append(get_fhir_model_class(model_name))
                except (KeyError, ValueError, ImportError):  # not a model of fhir.resources
                    continue


def _iterator_problem(path: str) -> Problem:
    # fhir.resources reads an iterator or other iterable (a generator in a caller's dict) to its
    # end, and a response has arrays with no maximum: refused, as a value FHIR has no place for.
    return make_problem(
        "fhir_invalid_resource",
        path,
        {"detail": "ett Python-objekt som bara kan gås igenom, inte en lista"},
    )


def _is_integer(value: Any) -> bool:
    return type(value) is int


def _is_boolean(value: Any) -> bool:
    return type(value) is bool


def _is_time(value: Any) -> bool:
    # Text, as in FHIR's JSON; or a date or time object, as a Python caller's dump of a
    # fhir.resources model holds them (what is refused is a number or a boolean read as one).
    return isinstance(value, str | _dt.date | _dt.time)


def _is_number(value: Any) -> bool:
    return type(value) in (int, float)


_JSON_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    **{key: (_is_integer, _FHIR_DETAIL["int_type"]) for key in _INTEGER_KEYS},
    **{key: (_is_boolean, _FHIR_DETAIL["bool_type"]) for key in ("valueBoolean", "userSelected")},
    "valueDecimal": (_is_number, _FHIR_DETAIL["float_type"]),
    **{
        key: (_is_time, "ska vara ett datum eller en tidpunkt som text")
        for key in (
            "authored",
            "lastUpdated",
            "valueDate",
            "valueDateTime",
            "valueTime",
            "valueInstant",
            "start",
            "end",
        )
    },
}
"""Elements whose FHIR JSON type ``fhir.resources`` reads loosely (pydantic's lax mode): a
number as an integer (``30.0``), text or a number as a boolean (``"yes"``, ``1``), text as a
decimal, a number as a date or time (``20261120``, read as seconds since 1970); with the check
each must pass and what the problem says."""


@cache
def _object_fields(model: type) -> Mapping[str, type]:
    """The elements of a ``fhir.resources`` model that hold a FHIR data type of their own (an
    object in FHIR's JSON, or an array of objects), by their JSON name, with its model."""
    import typing

    out: dict[str, type] = {}
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        todo = [info.annotation]
        while todo:
            t = todo.pop()
            klass = getattr(t, "get_model_klass", None)
            if klass is not None:
                out[info.alias or name] = klass()
            else:
                todo.extend(typing.get_args(t))
    return out


_R4_PATTERNS: dict[str, tuple[re.Pattern[str], str]] = {
    "id": (ID_PATTERN, "högst 64 tecken: bokstäverna A-Z och a-z, siffror, bindestreck och punkt"),
    **{
        kind: (URI_PATTERN, "får inte vara tom eller innehålla blanksteg")
        for kind in ("uri", "url", "canonical")
    },
}
"""FHIR R4's patterns for the primitive types ``fhir.resources`` holds more loosely: an ``id``
without its limit of 64 characters, a ``uri`` (and ``url``, ``canonical``) with a pattern that
any text matches (its ``\\S*`` is searched for, not matched in full)."""


@cache
def _pattern_fields(model: type) -> Mapping[str, tuple[re.Pattern[str], str]]:
    """The elements of a ``fhir.resources`` model of a primitive type in :data:`_R4_PATTERNS`,
    by their JSON name, with the pattern and what the problem says."""
    import typing

    out: dict[str, tuple[re.Pattern[str], str]] = {}
    for name, info in model.model_fields.items():  # type: ignore[attr-defined]
        todo = [info.annotation, *info.metadata]
        while todo:
            t = todo.pop()
            rule = _R4_PATTERNS.get(getattr(t, "__visit_name__", None) or "")
            if rule is not None:
                out[info.alias or name] = rule
            elif typing.get_origin(t) is typing.Annotated:
                todo.extend((t.__origin__, *t.__metadata__))
            else:
                todo.extend(typing.get_args(t))
    return out


def _elements(
    data: Mapping[str, Any], model: type
) -> Iterator[tuple[type, str, tuple[str | int, ...], Any]]:
    """Each element of each object of the response that the models reach (an array's entries
    one by one), with the model of its object, its name and its place; depth first, in the
    order of the response. An element that is no object is not followed (a primitive or an
    unknown element: ``fhir.resources`` judges it)."""
    stack: list[tuple[Mapping[str, Any], type, tuple[str | int, ...]]] = [(data, model, ())]
    while stack:
        node, klass, loc = stack.pop()
        fields = _object_fields(klass)
        children = []
        for key, value in node.items():
            inner = fields.get(key)
            entries = enumerate(value) if isinstance(value, list) else [(None, value)]
            for i, v in entries:
                where = (*loc, key) if i is None else (*loc, key, i)
                yield klass, key, where, v
                if inner is not None and isinstance(v, Mapping):
                    children.append((v, inner, where))
        stack.extend(reversed(children))


def _text_for_object(data: Mapping[str, Any], model: type) -> list[Problem]:
    """Elements where FHIR has an object but the response has text. ``fhir.resources`` reads
    such text as JSON (``"subject": "{\"identifier\": …}"``): the checks after it, which read
    objects, would pass over what it holds, and some of its own validators fail on it (an
    ``AttributeError`` for ``"_status": "null"``)."""
    detail = {"detail": _FHIR_DETAIL["dict_type"]}
    return [
        make_problem("fhir_invalid_resource", format_path(where), detail)
        for klass, key, where, v in _elements(data, model)
        if isinstance(v, str | bytes) and key in _object_fields(klass)
    ]


def _loose_patterns(data: Mapping[str, Any], model: type) -> list[Problem]:
    """Text that ``fhir.resources`` has taken but FHIR R4 does not (:data:`_R4_PATTERNS`): a
    resource ``id`` of 65 characters, a coding's ``system`` with a space in it. Run on a
    response ``fhir.resources`` has read, so each such element is text or a list of texts."""
    problems: list[Problem] = []
    for klass, key, where, v in _elements(data, model):
        rule = _pattern_fields(klass).get(key)
        if rule is not None and isinstance(v, str) and rule[0].fullmatch(v) is None:
            detail = {"detail": rule[1]}
            problems.append(make_problem("fhir_invalid_resource", format_path(where), detail))
    return problems


def _lax_primitives(data: Mapping[str, Any]) -> list[Problem]:
    """Values that ``fhir.resources`` takes but FHIR's JSON does not (:data:`_JSON_TYPES`): an
    integer is a JSON number without a fraction part, a boolean ``true`` or ``false``, a date
    or time a string (the quick check, :mod:`intyg._qr_quick`, sends these here)."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(data, ())]  # depth first
    while stack:
        node, loc = stack.pop()
        if isinstance(node, Mapping):
            children = []
            for key, value in node.items():
                rule = _JSON_TYPES.get(key)
                if rule is not None and not rule[0](value):
                    problems.append(
                        make_problem(
                            "fhir_invalid_resource", format_path((*loc, key)), {"detail": rule[1]}
                        )
                    )
                elif isinstance(value, Mapping | list):
                    children.append((value, (*loc, key)))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(v, (*loc, i)) for i, v in enumerate(node)]))
    return problems


def _unsupported_elements(reader: _Reader, data: Mapping[str, Any]) -> None:
    """Refuse what would otherwise be dropped: extensions (also on primitive values, the
    ``_name`` elements; the display extension on ``questionnaire`` is read past), modifier
    elements (an identifier's ``use`` other than :data:`IDENTIFIER_USES_READ`), references the
    certificate cannot carry (or of a ``type`` other than :data:`REFERENCE_TYPES`), an item's
    ``definition``, and anything beside what is read of ``subject``, ``author`` and the
    identifiers (:data:`_READ_ONLY`). Also refuse an empty object or list where one is read
    or read past: FHIR's JSON has none, and ``fhir.resources`` lets some pass (an empty
    ``answer``, ``item`` or ``meta``, a CodeableConcept without content), and ``null``, which
    it reads as absent."""
    stack: list[tuple[Any, str]] = [(data, "")]  # depth first, in document order
    while stack:
        node, path = stack.pop()
        if isinstance(node, Mapping | list) and not node:
            reader.fail("fhir_invalid_resource", path, {"detail": _FHIR_DETAIL["too_short"]})
        elif isinstance(node, Mapping):
            children = []
            read = _READ_ONLY.get(path)
            for key, value in node.items():
                where = join_path(path, safe_name(key))
                if value is None:  # FHIR's JSON has no null (fhir.resources reads it as absent)
                    reader.fail("fhir_invalid_resource", where, {"detail": _FHIR_DETAIL["null"]})
                elif key in _MODIFIERS:
                    reader.fail("fhir_modifier_not_supported", where)
                elif path in _IDENTIFIERS and key == "use":
                    _identifier_use(reader, value, where)
                elif path in REFERENCE_TYPES and key == "type":
                    if value != REFERENCE_TYPES[path]:
                        reader.fail(
                            "fhir_wrong_reference_type", where, {"type": REFERENCE_TYPES[path]}
                        )
                elif not path and key == "_questionnaire":
                    _questionnaire_element(reader, value, where)
                elif key == "extension" or (isinstance(key, str) and key.startswith("_")):
                    reader.fail("fhir_extension_not_supported", where)
                elif (
                    (not path and key in _NOT_CARRIED)
                    or (read is not None and key not in read)
                    or (key == "definition" and path.startswith("item["))
                ):
                    reader.fail("fhir_element_not_supported", where)
                else:
                    children.append((value, where))
            stack.extend(reversed(children))
        elif isinstance(node, list):
            stack.extend(reversed([(v, f"{path}[{i}]") for i, v in enumerate(node)]))


NARRATIVE_STATUSES = frozenset({"generated", "extensions", "additional", "empty"})
"""The codes of R4's NarrativeStatus (a required binding ``fhir.resources`` does not check)."""
_XHTML = "http://www.w3.org/1999/xhtml"
_NARRATIVE_FORBIDDEN = frozenset(
    {"head", "body", "script", "form", "base", "link", "frame", "frameset", "iframe", "object"}
)
"""Elements FHIR R4 bars from a narrative (Narrative.div: no head, body, scripts, forms,
base or link, frames or objects)."""


def _narrative(reader: _Reader, text: Any) -> None:
    """The response's narrative (``text``), read past unless it would lose or hide something.
    Its ``status`` must be a code of R4; ``additional`` says a person wrote it and it may hold
    more than the answers, which the certificate has no place for. Its ``div`` must be what
    FHIR's xhtml type is: one well-formed XHTML ``div`` with some content, without a DOCTYPE
    or the elements FHIR bars. (Which formatting elements and attributes it uses, FHIR's
    invariant txt-1, is not checked.)"""
    if not isinstance(text, Mapping):
        return  # absent, or refused by fhir.resources
    status = text.get("status")
    if isinstance(status, str) and status not in NARRATIVE_STATUSES:
        reader.fail("fhir_invalid_resource", "text.status", {"detail": "ogiltig kod"})
    elif status == "additional":
        reader.fail("fhir_element_not_supported", "text.status")
    div = text.get("div")
    if isinstance(div, str) and not _xhtml_div(div):
        reader.fail(
            "fhir_invalid_resource",
            "text.div",
            {"detail": "ska vara ett div-element i XHTML med innehåll"},
        )


class _NotNarrative(Exception):
    pass


def _xhtml_div(div: str) -> bool:
    """Whether ``div`` is one well-formed XHTML ``div`` element, with text or an image in it,
    no DOCTYPE (so no entities of its own) and none of :data:`_NARRATIVE_FORBIDDEN`, nested
    and sized within what JSON input may be (:data:`MAX_DEPTH` levels, :data:`MAX_ELEMENTS`
    elements and attributes): parsing stops at the first that is not."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator=" ")
    depth = 0
    content = False
    elements = 0

    def start(name: str, attrs: Any) -> None:
        nonlocal depth, content, elements
        space, _, local = name.rpartition(" ")
        if depth == 0 and (space, local) != (_XHTML, "div"):
            raise _NotNarrative
        if local in _NARRATIVE_FORBIDDEN:
            raise _NotNarrative
        content = content or local == "img"
        depth += 1
        elements += 1 + len(attrs)
        # The limits JSON input is held to (nested 9 million deep, a div took a gigabyte)
        if depth > MAX_DEPTH or elements > MAX_ELEMENTS:
            raise _NotNarrative

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    def characters(data: str) -> None:
        nonlocal content
        content = content or not data.isspace()

    def refuse(*_args: Any) -> None:
        raise _NotNarrative

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    try:
        parser.Parse(div, True)
    except (_NotNarrative, expat.ExpatError, ValueError):  # ValueError: a lone surrogate
        return False
    return content


def _identifier_use(reader: _Reader, use: Any, where: str) -> None:
    """An identifier's ``use``: ``official`` and ``usual`` are read past; ``temp``, ``secondary``
    and ``old`` say the identifier is not the lasting one its system gives (a modifier); any
    other is no code of R4 (``fhir.resources`` does not check the code)."""
    if use in IDENTIFIER_USES_READ:
        return
    if use in _IDENTIFIER_USES:
        reader.fail("fhir_modifier_not_supported", where)
    else:
        reader.fail("fhir_invalid_resource", where, {"detail": "ogiltig kod"})


def _questionnaire_element(reader: _Reader, element: Any, where: str) -> None:
    """The extensions on ``questionnaire`` (``_questionnaire``): a display name
    (:data:`EXT_DISPLAY`, a text) is read past, any other is refused."""
    if not isinstance(element, Mapping):
        return  # fhir.resources has refused it
    extensions = element.get("extension")
    if isinstance(extensions, list) and not extensions:  # FHIR's JSON has no empty list
        reader.fail(
            "fhir_invalid_resource", f"{where}.extension", {"detail": _FHIR_DETAIL["too_short"]}
        )
    for i, ext in enumerate(extensions if isinstance(extensions, list) else ()):
        if not (
            isinstance(ext, Mapping)
            and ext.get("url") == EXT_DISPLAY
            and isinstance(ext.get("valueString"), str)
            and ext.keys() <= {"id", "url", "valueString"}
        ):
            reader.fail("fhir_extension_not_supported", f"{where}.extension[{i}]")


def _identifier_value(
    reader: _Reader, data: Mapping[str, Any], where: str, systems: frozenset[str]
) -> tuple[str, str] | None:
    """The system and value of the identifier at the path ``where`` (``identifier``,
    ``subject.identifier``, ``author.identifier``), None when there is none to compare."""
    ident: Any = data
    for key in where.split("."):
        ident = ident.get(key) if isinstance(ident, Mapping) else None
    if not isinstance(ident, Mapping):
        return None
    system = ident.get("system")
    if system not in systems:
        reader.fail("fhir_unknown_identifier_system", f"{where}.system")
        return None
    value = ident.get("value")
    return (system, value) if isinstance(value, str) else None


def _agree(
    reader: _Reader,
    path: str,
    part: Any,
    key: str,
    field: str,
    given: str,
    same: Callable[[str, Any], bool],
) -> None:
    """The header's ``given`` against the answer ``part[key]``: fill a missing answer, report
    one that differs (``same(given, answered)`` decides)."""
    if not isinstance(part, dict):
        return
    answered = part.get(key)
    if answered is None:
        part[key] = given  # the header is the only place the response gives it
    elif not same(given, answered):
        reader.fail("fhir_identifier_mismatch", path, {"field": field})


def _same_text(given: str, answered: Any) -> bool:
    return isinstance(answered, str) and given == answered


def _same_uuid(given: str, answered: Any) -> bool:
    # An answer that is no UUID is the form's to report (invalid_uuid), not a mismatch.
    if not (isinstance(answered, str) and _UUID.fullmatch(answered)):
        return True
    return given.lower() == answered.lower()


def _day(value: Any) -> _dt.date | None:
    """The day of a date as read: text (``2026-11-20``), or a date or datetime object (a
    Python caller's dump of a fhir.resources model); else None."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    return iso_date(value) if isinstance(value, str) else None


def _check_subject(reader: _Reader, data: Mapping[str, Any], out: dict[str, Any]) -> None:
    found = _identifier_value(reader, data, "subject.identifier", PERSONID_SYSTEMS_IN)
    if found is None:
        return
    system, value = found
    on = _day(out.get("signeringsdatum"))

    def twelve(text: Any) -> str | None:
        if not isinstance(text, str):
            return None
        try:
            return parse_personid(text, on=on).value
        except PersonIdError:
            return None

    full = twelve(value)
    if full is not None:
        samordning = int(full[6:8]) > 60
        if samordning != (system in SAMORDNINGSNUMMER_SYSTEMS_IN):
            reader.fail(
                "fhir_identifier_system_mismatch",
                "subject.identifier.system",
                {"field": "patient.personid"},
            )

    def same(given: str, answered: Any) -> bool:
        mine = twelve(answered)
        return mine is None or mine == full  # an invalid answer is the form's to report

    _agree(
        reader,
        "subject.identifier.value",
        out.get("patient"),
        "personid",
        "patient.personid",
        value,
        same,
    )


def _check_header(reader: _Reader, data: Mapping[str, Any], out: dict[str, Any]) -> None:
    """``identifier``, ``authored``, ``subject`` and ``author`` against the answers."""
    found = _identifier_value(reader, data, "identifier", frozenset({SYSTEM_UUID}))
    if found is not None:
        value = found[1]
        if value[: len(_UUID_PREFIX)].lower() != _UUID_PREFIX:
            reader.fail("fhir_identifier_mismatch", "identifier.value", {"field": "intygsid"})
        else:
            _agree(
                reader,
                "identifier.value",
                out,
                "intygsid",
                "intygsid",
                value[len(_UUID_PREFIX) :],
                _same_uuid,
            )
    # ``authored`` is when the answers were last changed (FHIR), which may be after signing (an
    # amended response, a form filler stamping the time it exported) or on another day in UTC:
    # it is compared with nothing. Only where ``signeringsdatum`` is not answered does its day,
    # as the sender wrote it, stand in for the signing date.
    authored = data.get("authored")
    if out.get("signeringsdatum") is None:
        if isinstance(authored, _dt.date):  # a date or datetime object (a caller's dump)
            out["signeringsdatum"] = authored.isoformat()[:10]  # its day, as with text
        elif isinstance(authored, str):
            day = authored[:10]
            if iso_date(day) is None:  # a year or a month only: no day to sign on
                reader.fail("fhir_authored_not_a_day", "authored")
            else:
                out["signeringsdatum"] = day
    _check_subject(reader, data, out)
    found = _identifier_value(reader, data, "author.identifier", HSA_SYSTEMS_IN)
    if found is not None:
        _agree(
            reader,
            "author.identifier.value",
            out.get("utfardare"),
            "hsa_id",
            "utfardare.hsa_id",
            found[1],
            _same_text,
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
    plain, data = _fhir_parse(data)
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
    if not version:
        raise ConversionError([make_problem("fhir_missing_questionnaire_version", "questionnaire")])
    try:
        form = get_form(known[url].form_id, version)
    except FormVersionError:  # the version is named in questionnaire, not formular.version
        problem = unsupported_version(known[url].form_id, version, "questionnaire")
        raise FormVersionError([problem]) from None
    reader = _Reader(form)
    if not plain:  # the quick check admits none of these
        _unsupported_elements(reader, data)
        _narrative(reader, data.get("text"))
    if data.get("status") not in FINISHED_STATUSES:
        reader.fail("fhir_status_not_final", "status")
    out: dict[str, Any] = {"formular": {"id": form.form_id, "version": form.version}}
    reader.items(data.get("item"), question_tree(form.model), out, "", "item")
    _check_header(reader, data, out)
    if reader.problems:
        raise ConversionError(limit_problems(reader.problems))
    return out
