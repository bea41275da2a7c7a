"""The assessment report for the case officer, from an assessment or from a certificate."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import pytest

import intyg
import intyg._render as render_module
from intyg._assessment import format_assessment
from intyg._labels import ACTOR, LEVEL
from intyg._render import assessment_html, render
from intyg._render._report import assessment_report, question_label
from intyg._v1._codes import KV_SYSSELSATTNING
from render_support import (
    html_text,
    norm,
    parse_xhtml,
    pdf_pages,
    require_weasyprint,
    sample_assessment,
    squeeze,
)


def _expected(data: dict[str, Any]) -> list[str]:
    out = [data["meddelande"], data["regelverk"]["id"], data["regelverk"]["version"]]
    out.append(data["uppfoljning"]["datum"])
    for a in data["aktiviteter"]:
        out += [KV_SYSSELSATTNING.codes[a["typ"]], LEVEL[a["niva"]]]
        out += [x["text"] for x in a["anpassningar"]]
        out += [x["text"] for x in a["skal"]]
        out += [f"{p['fran']} – {p['till']}" for p in a["perioder"]]
    for f in data["fynd"]:
        out += [f["meddelande"], f["fraga"], f["regel"]]
    for s in data["nasta_steg"]:
        out += [s["text"], ACTOR[s["aktor"]]]
    for k in data["kallor"]:
        out += [k["id"], k["hanvisning"]]
    return out


def test_assessment_html_shows_every_part() -> None:
    data = sample_assessment()
    text = html_text(assessment_html(data))
    for value in _expected(data):
        assert norm(value) in text, value


def test_assessment_html_well_formed() -> None:
    assert parse_xhtml(assessment_html(sample_assessment())).tag.endswith("html")


def test_assessment_report_hours_per_period() -> None:
    report = assessment_report(sample_assessment())
    sfi = report.activities[0]
    assert [p.hours for p in sfi.perioder] == ["10", "20"]
    assert sfi.timmar_idag == "10 (av 40 timmar per vecka, heltid)"
    assert report.activities[1].timmar_idag.startswith("okänt")


def test_assessment_report_prints_hours_as_computed_never_rounded() -> None:
    # 13 hours a week at 25 % impairment leave 9.75 hours: printed as such (was "9,8").
    data = intyg.example()
    data["sysselsattning"]["timmar_per_vecka"] = 13
    for p in data["bedomning"]["perioder"]:
        p["omfattning"] = 25
    cert = intyg.load(data)
    result = intyg.assess(cert, on=cert.signeringsdatum)
    assert {a.timmar_per_vecka for a in result.aktiviteter} == {9.75}
    report = assessment_report(result.model_dump(mode="json"))
    assert {a.timmar_idag for a in report.activities} == {
        "9,75 (av 13 timmar per vecka, sysselsättningen enligt intyget)"
    }
    assert {p.hours for a in report.activities for p in a.perioder} == {"9,75"}


def test_assessment_report_flags_proposal_ruleset() -> None:
    data = sample_assessment()
    assert assessment_report(data).ruleset_is_proposal
    data["regelverk"]["status"] = "gallande"
    assert not assessment_report(data).ruleset_is_proposal


def test_assessment_report_says_the_same_finding_once_with_every_rule() -> None:
    # Several rules that could not be tried for the same missing data ask the same question:
    # the case officer sends it once. A finding that says something else stays apart.
    data = sample_assessment()
    first = data["fynd"][0]
    same = {**first, "regel": "FYND-ANNAN", "aktiviteter": ["SPRAKINSATS"], "kallor": []}
    other = {**first, "regel": "FYND-TREDJE", "meddelande": "Något annat."}
    data["fynd"] += [same, other]
    findings = assessment_report(data).findings
    assert [f.rules for f in findings] == [("FYND-PERIOD", "FYND-ANNAN"), ("FYND-TREDJE",)]
    assert len(findings[0].activities) == 2 and findings[0].question == first["fraga"]
    text = html_text(assessment_html(data))
    assert text.count(norm(first["fraga"])) == 2  # the merged finding and the third one
    assert "Regler: FYND-PERIOD, FYND-ANNAN" in text and "Regel: FYND-TREDJE" in text
    model = intyg.load_assessment(data)
    said = format_assessment(model)
    assert said.count(first["meddelande"]) == 1 and "[FYND-PERIOD, FYND-ANNAN]" in said


def test_assessment_report_without_notice_prints_default() -> None:
    data = sample_assessment()
    del data["meddelande"]
    assert assessment_report(data).notice


def test_assessment_report_tolerates_missing_parts() -> None:
    report = assessment_report({"regelverk": {"id": "x"}, "aktiviteter": []})
    assert report.activities == () and report.findings == () and report.steps == ()


def _fake_assess(seen: list[_dt.date]) -> Any:
    def assess(certificate: Any, *, on: _dt.date) -> dict[str, Any]:
        seen.append(on)
        return sample_assessment()

    class Result:
        def __init__(self, certificate: Any, on: _dt.date) -> None:
            self.data = assess(certificate, on=on)

        def model_dump(self, mode: str) -> dict[str, Any]:
            return self.data

    return lambda certificate, *, on: Result(certificate, on)


def test_assessment_from_certificate_defaults_to_signing_date(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[_dt.date] = []
    monkeypatch.setattr(render_module, "_assess_function", lambda: _fake_assess(seen))
    html = render(intyg.example_json(), assessment=True)
    assert seen == [_dt.date.fromisoformat(intyg.example()["signeringsdatum"])]
    assert "19121212-1212" in html_text(html)


def test_assessment_from_certificate_on_given_date(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[_dt.date] = []
    monkeypatch.setattr(render_module, "_assess_function", lambda: _fake_assess(seen))
    render(intyg.example_json(), assessment=True, on=_dt.date(2027, 1, 15))
    assert seen == [_dt.date(2027, 1, 15)]


def test_assessment_cli_passes_on_date(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from intyg._cli import main

    seen: list[_dt.date] = []
    monkeypatch.setattr(render_module, "_assess_function", lambda: _fake_assess(seen))
    assert main(["render", "--example", "--assessment", "--on", "2027-01-15"]) == 0
    assert seen == [_dt.date(2027, 1, 15)]
    assert sample_assessment()["fynd"][0]["fraga"] in capsys.readouterr().out


def test_assessment_without_engine_raises_assessment_unavailable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import importlib

    monkeypatch.delattr(importlib.import_module("intyg._assessment"), "assess", raising=False)
    with pytest.raises(intyg.IntygError) as exc:
        render(intyg.example_json(), assessment=True)
    assert exc.value.codes == ["assessment_unavailable"]


def test_assessment_report_of_real_engine() -> None:
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, on=cert.signeringsdatum)
    text = html_text(render(cert, assessment=True))
    for a in result.aktiviteter:
        assert norm(KV_SYSSELSATTNING.codes[a.typ]) in text
    assert norm(result.meddelande) in text
    assert result.regelverk.version in text


def test_assessment_pdf_contains_report() -> None:
    require_weasyprint()
    pytest.importorskip("pypdf", reason="pypdf (the test extra) is not installed")
    data = sample_assessment()
    text = "".join(pdf_pages(render(data, assessment=True, format="pdf")))
    for value in _expected(data):
        assert squeeze(value) in text, value


def test_render_assessment_mapping_not_an_assessment_raises_coded_error() -> None:
    with pytest.raises(intyg.ConversionError) as exc:
        render({"aktiviteter": 1, "regelverk": 2}, assessment=True)
    paths = {p.path: p.code for p in exc.value.problems}
    assert paths["aktiviteter"] == "wrong_type"
    assert paths["regelverk"] == "wrong_type"
    assert paths["bedomningsdatum"] == "required"


def test_render_assessment_unknown_level_raises_invalid_code() -> None:
    data = sample_assessment()
    data["aktiviteter"][0]["niva"] = "BESLUT_AVSLAG"
    with pytest.raises(intyg.ConversionError) as exc:
        render(data, assessment=True)
    assert [(p.code, p.path) for p in exc.value.problems] == [
        ("invalid_code", "aktiviteter[0].niva")
    ]


def test_stored_assessment_with_an_activity_type_twice_is_refused() -> None:
    # Two differing supports for one activity type would both be printed; an unknown type is
    # kept (a later release may assess more types) and printed by its code.
    data = sample_assessment()
    data["aktiviteter"].append({**data["aktiviteter"][0]})
    with pytest.raises(intyg.ConversionError) as exc:
        intyg.load_assessment(data)
    last = len(data["aktiviteter"]) - 1
    assert [(p.code, p.path) for p in exc.value.problems] == [
        ("duplicate_value", f"aktiviteter[{last}].typ")
    ]
    data["aktiviteter"][last]["typ"] = "NY_TYP"
    assert "NY_TYP" in render(intyg.load_assessment(data), assessment=True)


def test_render_assessment_bad_date_raises_invalid_date() -> None:
    data = sample_assessment()
    data["bedomningsdatum"] = "2026-13-40"
    with pytest.raises(intyg.ConversionError) as exc:
        render(data, assessment=True)
    assert exc.value.codes == ["invalid_date"]


def test_render_assessment_partial_mapping_checked_as_assessment() -> None:
    # One key of an assessment is enough: the mapping is never read as a certificate.
    with pytest.raises(intyg.ConversionError) as exc:
        render({"fynd": []}, assessment=True)
    assert "required" in exc.value.codes and "unknown_field" not in exc.value.codes


def test_render_assessment_keys_never_in_certificate() -> None:
    assert set(render_module.ASSESSMENT_KEYS) <= set(intyg.Assessment.model_fields)
    assert render_module.ASSESSMENT_KEYS.isdisjoint(intyg.Intyg.model_fields)


def test_render_assessment_made_with_on_raises_value_error() -> None:
    with pytest.raises(ValueError):
        render(sample_assessment(), assessment=True, on=_dt.date(2027, 1, 15))


def test_render_assessment_model_checked_and_rendered() -> None:
    model = intyg.Assessment.model_validate(sample_assessment())
    assert render(model, assessment=True) == render(sample_assessment(), assessment=True)


def test_assessment_html_from_assessment_alone_header_shows_id_only() -> None:
    root = parse_xhtml(assessment_html(sample_assessment()))
    header = next(e for e in root.iter() if e.tag.endswith("header"))
    text = norm(" ".join(header.itertext()))
    assert sample_assessment()["intygsid"] in text
    assert not [e for e in header.iter() if "pnr" in (e.get("class") or "").split()]


def test_assessment_report_shows_every_rule_outcome_step_rule_and_reading() -> None:
    # Explainable: every rule tried and how it came out, the rule behind each next step, and
    # what each finding's rule read.
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, _dt.date(2026, 11, 24)).to_json()
    root = parse_xhtml(render(result, assessment=True))
    rows = [
        tuple(norm("".join(td.itertext())) for td in tr.findall("{*}td"))
        for tr in root.iter("{http://www.w3.org/1999/xhtml}tr")
    ]
    outcome_text = {"sant": "uppfylld", "falskt": "inte uppfylld", "okant": "kunde inte prövas"}
    titles = {rule.id: rule.titel for rule in intyg.load_ruleset(result["regelverk"]["id"]).regler}
    for r in result["regelutfall"]:
        activity = (
            "alla (gäller hela intyget)"
            if r["aktivitet"] is None
            else KV_SYSSELSATTNING.codes[r["aktivitet"]]
        )
        # the rule's id, then its title (the rule set is this installation's)
        wanted = (norm(f"{r['regel']}{titles[r['regel']]}"), norm(activity))
        assert any(
            row[:2] == wanted and row[2].startswith(outcome_text[r["utfall"]]) for row in rows
        ), wanted
    text = html_text(render(result, assessment=True))
    assert result["nasta_steg"] and result["fynd"]
    cited = {k["id"]: k["hanvisning"] for k in result["kallor"]}
    for step in result["nasta_steg"]:
        assert step["kallor"]
        sources = "; ".join(cited[k] for k in step["kallor"])
        assert norm(f"Regel: {step['regel']}. Källor: {sources}") in text
    for finding in result["fynd"]:
        for reading in finding["varden"]:
            assert f"{norm(_reading_label(reading['namn']))}:" in text


def test_assessment_report_says_a_reason_once_with_every_rule_and_the_rule_set_first() -> None:
    # After every period two rules could not be tried for the same missing extent: one reason
    # with both rule ids (not the same sentence twice). The rule set and its status are on the
    # first page, beside the dates.
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, _dt.date(2027, 7, 1)).to_json()
    work = result["aktiviteter"][0]
    texts = [x["text"] for x in work["skal"]]
    assert len(texts) > len(set(texts))  # the engine gives the reason once per rule
    report = assessment_report(result)
    said = report.activities[0].skal
    assert len(said) == len(set(texts))
    for text in set(texts):
        rules = [x["regel"] for x in work["skal"] if x["text"] == text]
        [line] = [line for line in said if line.startswith(text)]
        assert line.endswith(f"[{', '.join(rules)}]")
    ruleset = result["regelverk"]
    assert report.ruleset_line.startswith(
        f"{ruleset['titel']} ({ruleset['id']} {ruleset['version']})"
    )
    assert "förslag" in report.ruleset_line
    root = parse_xhtml(render(result, assessment=True))
    facts = next(
        e for e in root.iter("{http://www.w3.org/1999/xhtml}div") if e.get("class") == "fakta"
    )
    assert norm(report.ruleset_line) in norm("".join(facts.itertext()))


def _reading_label(name: str) -> str:
    """What the report calls a value a rule read: a derived quantity by its short name, a
    question by its number and title."""
    from intyg._assessment._fields import DERIVED
    from intyg._render._report import _questions

    if name.startswith("harlett."):
        label = DERIVED[name.removeprefix("harlett.")].etikett
        assert label  # every derived quantity has one
        return label
    return _questions()[name][0]


def test_every_derived_quantity_and_read_field_has_a_name_for_the_report() -> None:
    from intyg._assessment._fields import DERIVED
    from intyg._render._report import _questions

    assert all(d.etikett for d in DERIVED.values())
    questions = _questions()
    assert questions["behandling.kan_forvarras"][0].startswith("7.3 ”")
    assert questions["bedomning.perioder.fran"][0].startswith("8.2 ”")
    # every certificate field a rule reads is a question of the form
    for ruleset in intyg.rulesets():
        for rule in ruleset.compiled:
            for path in rule.fields:
                assert path.startswith("harlett.") or path in questions, path


def test_assessment_report_shows_a_value_known_from_below() -> None:
    data = intyg.example()
    data["bedomning"]["forhindrad"] = False
    data["bedomning"].pop("perioder", None)
    data["aktivitetsbegransning"].pop("icf", None)
    data["funktionsnedsattning"]["icf"] = [{"kod": "b130", "grad": 3}]
    result = intyg.assess(intyg.load(data), _dt.date(2026, 11, 24))
    text = html_text(render(result, assessment=True))
    assert re.search(
        r"Högsta ICF-grad där aktivitetstypen ställer (höga|måttliga) krav: minst 3", text
    )


def test_assessment_report_says_unknown_for_an_unknown_derived_value() -> None:
    # No period covers the day: the extent on it is unknown, not missing from the certificate.
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, _dt.date(2027, 6, 1))
    read = [v for f in result.fynd for v in f.varden if v["namn"].startswith("harlett.")]
    assert any(v["varde"] is None for v in read)
    text = html_text(render(result, assessment=True))
    labels = "|".join(re.escape(_reading_label(v["namn"])) for v in read)
    assert re.search(f"({labels}): okänt", text)
    assert not re.search(f"({labels}): saknas", text)


def test_assessment_report_calls_only_laws_in_force_law() -> None:
    # A national guideline and a government decision in force were printed as "gällande rätt".
    cert = intyg.load(intyg.example_json())
    data = intyg.assess(cert, on=cert.signeringsdatum).model_dump(mode="json")
    kinds = {k["id"]: (k["typ"], k["status"]) for k in data["kallor"]}
    shown = {s.id: s.text for s in assessment_report(data).sources}
    assert {typ for typ, _ in kinds.values()} >= {"lag", "riktlinje", "regeringsbeslut"}
    for source_id, (typ, status) in kinds.items():
        in_force_law = status == "gallande" and typ in ("lag", "foreskrift")
        assert ("gällande rätt" in shown[source_id]) == in_force_law, source_id


def test_assessment_report_names_a_source_once() -> None:
    # "Lagrådsremiss Aktivitetskrav …, Lagrådsremiss 2025-12-16, Aktivitetskrav … ": the title
    # was repeated by the reference that holds it.
    cert = intyg.load(intyg.example_json())
    data = intyg.assess(cert, on=_dt.date(2027, 1, 5)).model_dump(mode="json")
    shown = {s.id: s.text for s in assessment_report(data).sources}
    proposals = [k["id"] for k in data["kallor"] if k["typ"] == "forslag"]
    assert proposals
    for source_id in proposals:
        assert shown[source_id].count("Lagrådsremiss") == 1, shown[source_id]
    laws = [k for k in data["kallor"] if k["typ"] == "lag"]
    assert all(k["titel"] in shown[k["id"]] for k in laws)  # a law keeps its name


def test_assessment_report_says_a_text_is_given_not_what_the_doctor_answered() -> None:
    # A rule that asks only whether a text or list is filled in reads True/False: beside the
    # question's title, "Ja" read as the doctor's answer to it.
    data = intyg.example()
    data["aktivitetsbegransning"].pop("icf", None)
    cert = intyg.load(data)
    result = intyg.assess(cert, _dt.date(2026, 11, 24)).model_dump(mode="json")
    readings = [
        line
        for f in assessment_report(result).findings
        for line in f.readings
        if "Aktivitetsbegränsning" in line
    ]
    assert readings
    assert all(line.endswith(("ifylld", "inte ifylld")) for line in readings), readings


def test_assessment_report_names_rules_only_from_the_same_rule_set() -> None:
    # Titles come from this installation's rule set, and only when its checksum is the
    # assessment's: an assessment made by other rules shows the ids alone.
    cert = intyg.load(intyg.example_json())
    data = intyg.assess(cert, _dt.date(2026, 11, 24)).model_dump(mode="json")
    assert all(o.title for o in assessment_report(data).outcomes)
    data["regelverk"]["checksumma"] = "sha256:" + "0" * 64
    assert not any(o.title for o in assessment_report(data).outcomes)


def test_assessment_report_prints_the_equality_note_apart_from_the_persons_follow_up() -> None:
    # The note is about following up all cases by sex: the board's task, not this person's.
    cert = intyg.load(intyg.example_json())
    data = intyg.assess(cert, _dt.date(2026, 11, 24)).model_dump(mode="json")
    report = assessment_report(data)
    assert report.board_note == data["uppfoljning"]["jamstalldhet"]
    assert data["uppfoljning"]["jamstalldhet"] not in report.follow_up_notes
    assert data["uppfoljning"]["skal"] in report.follow_up_notes


def test_assessment_report_marks_the_findings_that_could_not_be_tried() -> None:
    # A rule that could not be tried must not read as one that held.
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, _dt.date(2027, 6, 1))
    tried = {f.meddelande: f.utfall for f in result.fynd}
    assert set(tried.values()) == {"sant", "okant"}
    report = assessment_report(result.model_dump(mode="json"))
    marked = {f.message: f.severity.endswith("(uppgifter saknas)") for f in report.findings}
    assert marked == {message: utfall == "okant" for message, utfall in tried.items()}


def test_assessment_report_keeps_findings_apart_that_ask_different_questions() -> None:
    from intyg._render._report import Finding, _said_once

    def finding(question: str, rule: str) -> Finding:
        return Finding("Komplettering", "Uppgift saknas.", question, (), (rule,), (), ())

    said = _said_once([finding("A?", "R1"), finding("B?", "R2"), finding("A?", "R3")])
    assert [(f.question, f.rules) for f in said] == [("A?", ("R1", "R3")), ("B?", ("R2",))]


def test_assessment_report_says_why_todays_hours_are_unknown() -> None:
    # After every period the extent on the date is unknown, so the level may be prevented: the
    # report says so instead of a bare "okänt (räknat på …)".
    cert = intyg.load(intyg.example_json())
    result = intyg.assess(cert, _dt.date(2027, 7, 1)).to_json()
    work = result["aktiviteter"][0]
    assert work["timmar_per_vecka"] is None
    assert work["niva"] == "UNDERLAG_OTILLRACKLIGT"
    assert work["niva_intervall"]["lagsta"] == "FORHINDRAD"
    shown = assessment_report(result).activities[0].timmar_idag
    assert shown.startswith("okänt, eftersom förhindrad är en av de möjliga nivåerna")
    assert f"grund: {work['timmar_bas']} timmar per vecka" in shown


def test_assessment_report_names_the_release_that_made_it() -> None:
    result = intyg.assess(intyg.load(intyg.example_json()), _dt.date(2026, 11, 24)).to_json()
    rows = dict(assessment_report(result).ruleset)
    assert rows["Gjord med intyg, version"] == result["motorversion"] == intyg.__version__


def test_assessment_report_names_the_demand_profiles_areas_from_the_same_rule_set() -> None:
    result = intyg.assess(intyg.load(intyg.example_json()), _dt.date(2026, 11, 24)).to_json()
    names = dict(intyg.load_ruleset(result["regelverk"]["id"]).demand.names)
    work = result["aktiviteter"][0]
    areas = [b["omrade"] for b in work["begransningar"] if b["omrade"] in names]
    assert areas
    shown = assessment_report(result).activities[0].begransningar
    for area in areas:
        assert any(f"{area} {names[area]}," in line for line in shown), area
    result["regelverk"]["checksumma"] = "sha256:" + "0" * 64  # rules made elsewhere: codes only
    shown = assessment_report(result).activities[0].begransningar
    assert not any(names[area] in line for area in areas for line in shown)


def _legend(html: str, cls: str) -> list[str]:
    """The bold terms of the legend paragraph with class ``cls`` (empty when there is none)."""
    root = parse_xhtml(html)
    found = [e for e in root.iter() if cls in (e.get("class") or "").split()]
    assert len(found) <= 1
    return [(b.text or "").rstrip(":") for p in found for b in p if b.tag.endswith("}b")]


def test_assessment_report_explains_every_level_and_severity_by_its_printed_name() -> None:
    # The legends under sections 1 and 2 name the levels and severities with the very labels
    # the report prints, so a renamed label cannot leave the legend behind.
    from intyg._render._report import ALLVAR_TEXT

    data = sample_assessment()
    assert data["fynd"]
    html = assessment_html(data)
    assert _legend(html, "forklaring-nivaer") == list(LEVEL.values())
    rule_severities = ("komplettering", "varning", "info")
    assert _legend(html, "forklaring-fynd") == [ALLVAR_TEXT[s] for s in rule_severities]
    no_findings = {**data, "fynd": []}
    assert _legend(assessment_html(no_findings), "forklaring-fynd") == []


def test_assessment_report_says_once_that_a_source_is_to_be_verified() -> None:
    # A proposal cited without a paragraph already says "(bestämmelse att verifiera)"; the report
    # added "hänvisningen ska verifieras" after it. A source whose citation lacks that ending
    # keeps the caveat, as the only one it has.
    from intyg._render._report import _source

    data = intyg.assess(intyg.load(intyg.example()), _dt.date(2026, 12, 7)).model_dump(mode="json")
    unverified = [k for k in data["kallor"] if k["verifiering"] == "att_verifiera"]
    assert unverified
    for k in unverified:
        assert _source(k).text.count("verifiera") == 1, k["id"]
    other = {**unverified[0], "hanvisning": "SOU 2025:15", "typ": "utredning"}
    assert _source(other).text.count("verifiera") == 1


def test_assessment_text_says_once_that_a_source_is_to_be_verified() -> None:
    # The text output (intyg assess) says the same as the report: the caveat once, also for a
    # source whose citation does not end by saying so (it had none there).
    from intyg._assessment import Assessment

    result = intyg.assess(intyg.load(intyg.example()), _dt.date(2026, 12, 7))
    data = result.model_dump(mode="json")
    k = next(k for k in data["kallor"] if k["verifiering"] == "att_verifiera")
    data["kallor"].append({**k, "id": "sou-x", "hanvisning": "SOU 2025:15", "typ": "utredning"})
    text = format_assessment(Assessment.model_validate(data))
    lines = [line for line in text.splitlines() if "verifiera" in line]
    assert len(lines) == len([k for k in data["kallor"] if k["verifiering"] == "att_verifiera"])
    assert all(line.count("verifiera") == 1 for line in lines)


@pytest.mark.parametrize("made", [False, True], ids=["from-certificate", "stored"])
def test_assessment_report_title_names_the_certificate(made: bool) -> None:
    # As the certificate's own title does: an archived report is matched to its certificate.
    certificate = intyg.load(intyg.example())
    source: Any = certificate
    if made:
        source = intyg.assess(certificate, certificate.signeringsdatum).to_json()
    html = intyg.render(source, assessment=True)
    found = re.search(r"<title>(.*?)</title>", html, re.DOTALL)
    assert found and certificate.intygsid in found.group(1)


def test_assessment_report_names_the_rule_set_and_follow_up_in_full() -> None:
    # Each row of the rule set is printed, none dropped; the follow-up date too (mutation
    # testing found each row could go unnoticed).
    data = intyg.assess(intyg.load(intyg.example()), _dt.date(2026, 11, 24)).to_json()
    data["regelverk"]["giltig_till"] = "2027-12-31"
    report = assessment_report(data)
    rows = dict(report.ruleset)
    for key in ("giltig_fran", "giltig_till", "forsta_period", "bygger_pa", "checksumma"):
        assert data["regelverk"][key] in rows.values(), key
    assert report.ruleset[-1][1] == data["motorversion"]  # the release, last
    assert report.follow_up == data["uppfoljning"]["datum"]


def test_assessment_report_reads_a_findings_codes_as_texts() -> None:
    from intyg._render._report import ALLVAR_TEXT

    data = intyg.assess(intyg.load(intyg.example()), _dt.date(2026, 11, 24)).to_json()
    made = [f for f in data["fynd"] if f["aktiviteter"]] or data["fynd"]
    report = assessment_report(data)
    for finding in report.findings:
        assert finding.severity.split(" (")[0] in ALLVAR_TEXT.values()
        assert all(a in KV_SYSSELSATTNING.codes.values() for a in finding.activities)
        assert not any(
            source in {k for f in made for k in f["kallor"]} for source in finding.sources
        )
        assert not any(field in {k for f in made for k in f["falt"]} for field in finding.fields)


def _label(path: str) -> str:
    from intyg._render._report import question_label

    label = question_label(path)
    assert label is not None
    return label


@pytest.mark.parametrize(
    ("name", "value", "shown"),
    [
        # A yes/no question: its answer.
        ("behandling.kan_forvarras", True, "Ja"),
        ("samverkan.kontakt_onskas", False, "Nej"),
        # A free text or a list: only whether it was given (a rule never reads what it says).
        ("behandling.beskrivning", True, "ifylld"),
        ("bedomning.anpassningar", False, "inte ifylld"),
        # Codes as their texts, integer codes too; a code the list does not have as it is.
        ("prognos.typ", "KAN_EJ_BEDOMAS", "Prognosen går inte att bedöma nu"),
        ("bedomning.perioder.omfattning", [25, 100], "25 % (en fjärdedel), 100 % (helt)"),
        ("samverkan.rekommendationer", ["SIP", "OKAND"], "Samordnad individuell plan (SIP), OKAND"),
        ("samverkan.rekommendationer", [], "inga"),
        ("prognos.manader", None, "saknas"),
        ("prognos.manader", 6, "6"),
        ("bedomning.perioder.omfattning", {"minst": 50}, "minst 50"),
    ],
)
def test_a_value_a_rule_read_is_shown_as_the_case_officer_reads_it(
    name: str, value: Any, shown: str
) -> None:
    from intyg._render._report import _reading

    assert _reading({"namn": name, "varde": value}) == f"{_label(name)}: {shown}"


def test_a_derived_quantity_a_rule_read_is_shown_by_its_short_name() -> None:
    from intyg._assessment._fields import DERIVED
    from intyg._render._report import _reading

    label = DERIVED["omfattning_pa_datum"].etikett
    assert _reading({"namn": "harlett.omfattning_pa_datum", "varde": 50}) == f"{label}: 50"
    assert _reading({"namn": "harlett.omfattning_pa_datum", "varde": None}) == f"{label}: okänt"
    # A name the installation does not know (a later release's) is shown as it is.
    assert _reading({"namn": "harlett.ny", "varde": None}) == "harlett.ny: okänt"
    assert _reading({"namn": "annat.falt", "varde": None}) == "annat.falt: saknas"


def test_the_text_output_names_who_each_step_falls_to_and_with_whom() -> None:
    # A heading form of the actor at the start of the line, the running-text form after
    # "tillsammans med" (the region in lower case, the agencies with their capitals).
    from intyg._labels import ACTOR_IN_TEXT, NOTICE

    made = intyg.assess(intyg.load(intyg.example()), _dt.date(2026, 11, 24))
    text = format_assessment(made)
    assert NOTICE in text.splitlines()
    assert {len(step.medverkande) for step in made.nasta_steg} == {0, 1, 2}
    for step in made.nasta_steg:
        others = " och ".join(ACTOR_IN_TEXT[o] for o in step.medverkande)
        who = ACTOR[step.aktor] + (f" (tillsammans med {others})" if others else "")
        assert f"- {who}: {step.text} [{step.regel}]" in text.splitlines()
    assert ACTOR_IN_TEXT["region"] != ACTOR["region"]
    assert ACTOR_IN_TEXT["arbetsformedlingen"] == ACTOR["arbetsformedlingen"]


# What the example's assessment page says, part by part, from the assessment itself (each
# assertion failed on a mutant of intyg._render._report that the tests above let through).
def _example_assessment() -> dict[str, Any]:
    cert = intyg.load(intyg.example_json())
    return intyg.assess(cert, _dt.date(2026, 11, 24)).to_json()


def test_assessment_page_heads_each_activity_with_its_type_and_level() -> None:
    result = _example_assessment()
    html = assessment_html(result)
    headings = re.findall(r'<h3>([^<]*): <span class="niva">([^<]*)</span></h3>', html)
    assert headings == [
        (KV_SYSSELSATTNING.codes[a["typ"]], LEVEL[a["niva"]]) for a in result["aktiviteter"]
    ]


def test_assessment_page_says_where_each_adaptation_and_limitation_comes_from() -> None:
    from intyg._assessment._text import ADAPTATION_SOURCE

    result = _example_assessment()
    html = assessment_html(result)
    for a in result["aktiviteter"]:
        for x in a["anpassningar"]:
            assert f"<li>{x['text']} ({ADAPTATION_SOURCE[x['kalla']]})</li>" in html
        for b in a["begransningar"]:
            lista = {"funktionsnedsattning": "funktionsnedsättning"}.get(b["lista"], b["lista"])
            lista = {"aktivitetsbegransning": "aktivitetsbegränsning"}.get(lista, lista)
            assert f"<li>{b['kod']} grad {b['grad']}; {lista}; {b['omrade']} " in html
    assert {x["kalla"] for a in result["aktiviteter"] for x in a["anpassningar"]} == {
        "intyg",
        "kravprofil",
    }  # both kinds are on the page


def test_assessment_page_names_who_takes_part_in_each_step() -> None:
    result = _example_assessment()
    steps = assessment_report(result).steps
    assert [s.others for s in steps] == [
        tuple(ACTOR[x] for x in s["medverkande"]) for s in result["nasta_steg"]
    ]
    assert any(s.others for s in steps)
    html = assessment_html(result)
    for s in result["nasta_steg"]:
        if s["medverkande"]:
            assert f"<td>{', '.join(ACTOR[x] for x in s['medverkande'])}</td>" in html


def test_assessment_page_says_the_rule_sets_status_on_its_first_page() -> None:
    from intyg._assessment._text import PRINTED_STATUS

    result = _example_assessment()
    line = assessment_report(result).ruleset_line
    assert line.endswith(f", {PRINTED_STATUS[result['regelverk']['status']]}")
    assert f"<th>Regelverk</th><td>{line}</td>" in assessment_html(result)


def test_assessment_report_says_the_possible_levels_from_lowest_to_highest() -> None:
    result = intyg.assess(intyg.load(intyg.example_json()), _dt.date(2027, 7, 1)).to_json()
    work = result["aktiviteter"][0]
    low, high = work["niva_intervall"]["lagsta"], work["niva_intervall"]["hogsta"]
    assert low != high
    row = assessment_report(result).activities[0]
    assert row.mojliga == f"från {LEVEL[low].lower()} till {LEVEL[high].lower()}"


def test_assessment_report_says_a_reason_that_could_not_be_tried_once_with_each_rule() -> None:
    data = sample_assessment()
    reason = {"text": "Uppgift saknas.", "utfall": "okant"}
    data["aktiviteter"][0]["skal"] = [
        {**reason, "regel": "NIVA-X"},
        {**reason, "regel": "NIVA-X"},
        {**reason, "regel": "NIVA-Y"},
    ]
    [said] = assessment_report(data).activities[0].skal
    assert said == "Uppgift saknas. (kunde inte prövas: uppgifter saknas) [NIVA-X, NIVA-Y]"


def test_assessment_report_joins_the_questions_and_sources_of_a_finding_said_once() -> None:
    data = sample_assessment()
    first = data["fynd"][0]
    data["fynd"].append(
        {**first, "regel": "FYND-ANNAN", "falt": ["prognos.typ"], "kallor": ["sou-2025-15"]}
    )
    [merged, *_] = assessment_report(data).findings
    assert merged.rules[-1] == "FYND-ANNAN"
    assert {question_label(first["falt"][0]), question_label("prognos.typ")} <= set(merged.fields)
    assert "sou-2025-15" in merged.sources and len(merged.sources) == 2


def test_question_label_leaves_list_positions_out() -> None:
    label = question_label("bedomning.perioder.till")
    assert label is not None
    assert question_label("bedomning.perioder[1].till") == label


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ([{"fran": "2026-01-01"}], '{"fran": "2026-01-01"}'),  # was "inga"
        ([], "inga"),
        ({"a": 1}, '{"a": 1}'),  # was nothing
        ([75.0], "75 % (tre fjärdedelar)"),  # 75.0 is the code 75, as JSON reads it
    ],
)
def test_assessment_report_shows_a_read_value_of_an_edited_file_as_it_is(
    value: Any, shown: str
) -> None:
    from intyg._render._report import _reading

    label = question_label("bedomning.perioder.omfattning")
    assert _reading({"namn": "bedomning.perioder.omfattning", "varde": value}) == (
        f"{label}: {shown}"
    )
