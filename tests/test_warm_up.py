"""intyg.warm_up(): after it, no call imports a module or builds a model.

First use takes the import system's locks and pydantic's, which a child forked meanwhile would
wait for forever; a server calls warm_up() before it forks or starts threads. Checked in a
fresh interpreter: after warm_up(), every input of the bad-input corpus (as JSON and, where it
is one, as a QuestionnaireResponse) and the public functions on the examples import no module
and complete no pydantic model (intyg's or fhir.resources') that was not already complete.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

_TESTS = Path(__file__).parent

_SCRIPT = textwrap.dedent(
    """
    import datetime as dt, json, sys
    import intyg
    intyg.warm_up()
    import korpus  # builds its inputs with intyg: after warm_up, as a caller would
    import pydantic

    def incomplete():
        seen, stack = set(), [pydantic.BaseModel]
        while stack:
            for sub in stack.pop().__subclasses__():  # every model, intyg's and fhir.resources'
                if sub not in seen:
                    seen.add(sub)
                    stack.append(sub)
        return {
            f"{c.__module__}.{c.__qualname__}"
            for c in seen
            if not c.__pydantic_complete__
        }

    inputs = [bad.build() for bad in korpus.CORPUS]
    modules, models = set(sys.modules), incomplete()

    for raw in inputs:
        intyg.validate(raw)
        try:
            intyg.load(raw)
        except intyg.IntygError:
            pass
        try:
            intyg.from_fhir(raw)
        except intyg.IntygError:
            pass
    cert = intyg.load(intyg.example())
    for on in (dt.date(2025, 7, 1), dt.date(2026, 7, 1), dt.date(2026, 12, 1)):
        made = intyg.assess(cert, on)
        intyg.format_assessment(made)
        made.to_json()
        intyg.render(made.model_dump(mode="json"), assessment=True)
        intyg.load_assessment(json.dumps(made.to_json()))
    intyg.render(cert)
    intyg.render(blank=True)
    intyg.to_json(intyg.from_fhir(intyg.to_fhir(cert)))
    print(json.dumps({
        "modules": sorted(set(sys.modules) - modules),
        "models": sorted(models - incomplete()),
    }))
    """
)


def test_after_warm_up_no_call_imports_a_module_or_builds_a_model() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_TESTS), *sys.path])}
    result = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    found = json.loads(result.stdout.splitlines()[-1])
    assert found == {"modules": [], "models": []}


def test_warm_up_is_public_and_takes_only_the_pdf_switch() -> None:
    import inspect

    import intyg

    assert "warm_up" in intyg.__all__
    assert list(inspect.signature(intyg.warm_up).parameters) == ["pdf"]
    with pytest.raises(TypeError):
        intyg.warm_up(True)  # type: ignore[misc]


def test_warm_up_switch_must_be_a_bool() -> None:
    import intyg

    with pytest.raises(TypeError):
        intyg.warm_up(pdf="nej")  # type: ignore[arg-type]


def test_warm_up_without_the_assessment_support_warms_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An installation without intyg._assessment (as render's assessment_unavailable allows).
    import intyg

    monkeypatch.setitem(sys.modules, "intyg._assessment", None)
    intyg.warm_up()  # no ImportError: the rest is warmed
    with pytest.raises(intyg.RenderError) as info:  # and render says what is missing
        intyg.render(intyg.example(), assessment=True)
    assert info.value.codes == ["assessment_unavailable"]
