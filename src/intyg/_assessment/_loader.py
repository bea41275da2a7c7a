"""Loading the rule files (package data) and the load-time lint.

The files are read once (:func:`catalogue` is cached). Everything the lint finds is reported at
once as a :class:`~intyg.RuleSetError` with coded problems: unique ids, field paths that exist in
the certificate model, operators that fit their fields, codes that exist in the code lists, cited
sources that exist, consistent date windows, no unresolved overlaps (between rule sets, and
between rules sharing a subject), and a consistent demand table.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from .._errors import RuleSetError
from .._frozen import FrozenDict
from .._problems import Problem, make_problem
from .._v1._codes import AKTIVITETSTYPER, Sysselsattning
from ._fields import DERIVED, Demand, field_spec
from ._operators import (
    COMPARE_OPS,
    DATE_OPS,
    LIST_OPS,
    PRESENCE_OPS,
    SCALAR_OPS,
    compile_condition,
    derived_used,
    evidence_plan,
    fields_read,
    leaves,
)
from ._plan import Plan, free_text
from ._ruledefs import (
    Kalla,
    KallFil,
    KravprofilFil,
    NivaRegel,
    Regel,
    RegelverkFil,
    Villkor,
)
from ._ruleset import CompiledRule, RuleSet

PACKAGE = "intyg._assessment.regler"
SOURCES_FILE = "kallor.yaml"
PROFILE_PREFIX = "kravprofil"
RULESET_PREFIX = "regelverk-"


@dataclass(frozen=True)
class Catalogue:
    """Everything in the rule files: sources, demand profiles and rule sets (by start date)."""

    sources: Mapping[str, Kalla]
    sources_version: str
    profiles: Mapping[str, KravprofilFil]
    rulesets: tuple[RuleSet, ...]


def package_files() -> dict[str, str]:
    """The rule files shipped in the package, by file name."""
    root = resources.files(PACKAGE)
    return {
        f.name: f.read_text("utf-8")
        for f in sorted(root.iterdir(), key=lambda f: f.name)
        if f.name.endswith(".yaml")
    }


_BUILDING = threading.Lock()


def _new_lock_in_child() -> None:
    # A process forked while another thread held the lock would wait for it forever: the
    # child has only the forking thread, so nobody there will release it.
    global _BUILDING
    _BUILDING = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_new_lock_in_child)


@cache
def catalogue() -> Catalogue:
    """The package's rule catalogue, loaded and linted once, also when many threads ask for it
    first at the same moment (``functools.cache`` alone would let each of them build its own:
    about 50 ms of work each, and rule sets that are not the same objects)."""
    with _BUILDING:
        return _catalogue_once()


@cache
def _catalogue_once() -> Catalogue:
    return build_catalogue(package_files())


class _Lint:
    """The problems found in the rule files, each once (a base rule set is resolved on its own
    and again under each overlay built on it: its problems would come twice)."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, code: str, path: str, **ctx: Any) -> None:
        problem = make_problem(code, path, ctx)
        if problem not in self.problems:
            self.problems.append(problem)


class _StrictLoader(yaml.SafeLoader):
    """YAML as the rule files write it: a key once in its mapping (YAML would keep the last,
    silently)."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                hash(key)
            except TypeError:
                continue  # SafeLoader refuses it, with its place
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, "key given twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _parse(name: str, text: str, model: type[BaseModel], lint: _Lint) -> Any:
    try:
        data = yaml.load(text, Loader=_StrictLoader)  # a SafeLoader: no Python objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"rad {mark.line + 1}" if mark is not None else "okänd plats"
        twice = getattr(exc, "problem", None) == "key given twice"
        what = "samma nyckel två gånger" if twice else "ogiltig YAML"
        lint.add("ruleset_file_invalid", name, detail=f"{what} ({where})")
        return None
    except RecursionError:
        lint.add("ruleset_file_invalid", name, detail="för djupt nästlad")
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"])
            lint.add("ruleset_file_invalid", f"{name}#{loc}", detail=err["msg"])
        return None


def build_catalogue(files: Mapping[str, str]) -> Catalogue:
    """Parse, lint and compile a set of rule files (file name -> YAML text).

    Raises:
        RuleSetError: every problem the lint found.
    """
    lint = _Lint()
    kallfil: KallFil | None = None
    profiles: dict[str, KravprofilFil] = {}
    sets: dict[str, tuple[str, RegelverkFil]] = {}
    for name, text in files.items():
        if name == SOURCES_FILE:
            kallfil = _parse(name, text, KallFil, lint)
        elif name.startswith(PROFILE_PREFIX):
            prof = _parse(name, text, KravprofilFil, lint)
            if prof is not None:
                if prof.id in profiles:
                    lint.add("ruleset_duplicate_id", name, id=prof.id)
                profiles[prof.id] = prof
        elif name.startswith(RULESET_PREFIX):
            rs = _parse(name, text, RegelverkFil, lint)
            if rs is not None:
                if rs.id in sets:
                    lint.add("ruleset_duplicate_id", name, id=rs.id)
                sets[rs.id] = (name, rs)
    if kallfil is None:
        if not any(p.path.startswith(SOURCES_FILE) for p in lint.problems):
            lint.add("ruleset_unknown_reference", SOURCES_FILE, what="Källkatalogen", id="")
        raise RuleSetError(lint.problems)
    sources = _lint_sources(kallfil, lint)
    demands = {
        pid: _lint_profile(f"{PROFILE_PREFIX}:{pid}", p, lint) for pid, p in profiles.items()
    }
    built: list[RuleSet] = []
    for rs_id, (name, rs) in sets.items():
        resolved = _resolve(rs_id, sets, lint, ())
        if resolved is None:
            continue
        built_rs = _build(name, rs, resolved, sources, profiles, demands, lint)
        if built_rs is not None:
            built.append(built_rs)
    built.sort(key=lambda r: r.giltig_fran)
    _lint_ruleset_overlap(built, lint)
    if lint.problems:
        raise RuleSetError(lint.problems)
    return Catalogue(sources, kallfil.version, profiles, tuple(built))


# ---------------------------------------------------------------- sources and profile


def _lint_sources(kallfil: KallFil, lint: _Lint) -> dict[str, Kalla]:
    out: dict[str, Kalla] = {}
    for k in kallfil.kallor:
        path = f"{SOURCES_FILE}#{k.id}"
        if k.id in out:
            lint.add("ruleset_duplicate_id", path, id=k.id)
        out[k.id] = k
        if k.verifiering == "att_verifiera" and k.bestammelse is not None:
            lint.add("ruleset_unverified_provision", path)
        if k.ikraft and k.upphor and k.upphor < k.ikraft:
            lint.add("ruleset_date_window", path, detail="upphör före ikraftträdandet")
        if k.status == "upphavd" and k.upphor is None:
            lint.add("ruleset_date_window", path, detail="upphävd källa utan datum då den upphörde")
        if k.status == "forslag" and k.sfs is not None:
            lint.add("ruleset_date_window", path, detail="ett förslag kan inte ha SFS-nummer")
    return out


def _lint_profile(path: str, prof: KravprofilFil, lint: _Lint) -> Demand:
    rows: dict[str, Mapping[Sysselsattning, str]] = {}
    for row in prof.rader:
        if row.omrade in rows:
            lint.add("ruleset_duplicate_id", f"{path}#{row.omrade}", id=row.omrade)
        missing = [a.value for a in AKTIVITETSTYPER if a not in row.krav]
        extra = [a.value for a in row.krav if a not in AKTIVITETSTYPER]
        if missing or extra:
            lint.add(
                "ruleset_demand_profile",
                f"{path}#{row.omrade}",
                detail=f"aktivitetstyper saknas {missing} eller är okända {extra}",
            )
        rows[row.omrade] = FrozenDict(dict(row.krav))
    # Read-only views: a rule set is shared by every assessment in the process.
    return Demand(
        rows=FrozenDict(rows),
        names=FrozenDict({r.omrade: r.namn for r in prof.rader}),
        adaptations=FrozenDict(
            {r.omrade: tuple(a.value for a in r.anpassningar) for r in prof.rader}
        ),
        other=prof.ovriga,
        adaptation_from_grade=prof.anpassning_fran_grad,
    )


# ---------------------------------------------------------------- rule sets


def _resolve(
    rs_id: str,
    sets: Mapping[str, tuple[str, RegelverkFil]],
    lint: _Lint,
    seen: tuple[str, ...],
) -> list[Regel] | None:
    """The rules of a rule set with its base's rules (overlay: replace by id, remove, add)."""
    name, rs = sets[rs_id]
    if rs_id in seen:
        lint.add("ruleset_unknown_reference", name, what="Regelverkskedjan (cirkel)", id=rs_id)
        return None
    own_ids = [r.id for r in rs.regler]
    for dup in {i for i in own_ids if own_ids.count(i) > 1}:
        lint.add("ruleset_duplicate_id", f"{name}#{dup}", id=dup)
    if rs.bygger_pa is None:
        if rs.ta_bort:
            lint.add("ruleset_unknown_reference", name, what="Basregelverk för ta_bort", id="")
        return list(rs.regler)
    if rs.bygger_pa not in sets:
        lint.add("ruleset_unknown_reference", name, what="Regelverket", id=rs.bygger_pa)
        return None
    base = _resolve(rs.bygger_pa, sets, lint, (*seen, rs_id))
    if base is None:
        return None
    base_ids = {r.id for r in base}
    for rid in rs.ta_bort:
        if rid not in base_ids:
            lint.add("ruleset_unknown_reference", f"{name}#ta_bort", what="Regeln", id=rid)
    own = {r.id: r for r in rs.regler}
    out = [own.pop(r.id, r) for r in base if r.id not in rs.ta_bort]
    return out + [r for r in rs.regler if r.id in own]


def _build(
    name: str,
    rs: RegelverkFil,
    rules: list[Regel],
    sources: Mapping[str, Kalla],
    profiles: Mapping[str, KravprofilFil],
    demands: Mapping[str, Demand],
    lint: _Lint,
) -> RuleSet | None:
    start = len(lint.problems)
    if rs.giltig_till is not None and rs.giltig_till < rs.giltig_fran:
        lint.add("ruleset_date_window", name, detail="giltig_till ligger före giltig_fran")
    if rs.forsta_period < rs.giltig_fran or (
        rs.giltig_till is not None and rs.forsta_period > rs.giltig_till
    ):
        lint.add("ruleset_date_window", name, detail="forsta_period ligger utanför giltighetstiden")
    for s in rs.kallor:
        if s not in sources:
            lint.add("ruleset_unknown_source", name, source=s)
    profile_id = rs.kravprofil or PROFILE_PREFIX
    if profile_id not in profiles:
        lint.add("ruleset_unknown_reference", name, what="Kravprofilen", id=profile_id)
    if rs.uppfoljning is None:
        lint.add("ruleset_unknown_reference", name, what="Uppföljningen", id="uppfoljning")
    compiled: list[CompiledRule] = []
    for r in rules:
        path = f"{name}#{r.id}"
        for s in r.kallor:
            if s not in sources:
                lint.add("ruleset_unknown_source", path, source=s)
        _lint_rule_window(path, r, rs, lint)
        ok = _lint_condition(path, r.villkor, lint)
        per_activity = any(DERIVED[d].per_activity for d in derived_used(r.villkor) if d in DERIVED)
        if per_activity and not isinstance(r, NivaRegel):
            lint.add("ruleset_unknown_derived", path, name="per aktivitetstyp (bara nivåregler)")
            ok = False
        acts = tuple(AKTIVITETSTYPER)
        if isinstance(r, NivaRegel) and r.aktiviteter is not None:
            bad = [a.value for a in r.aktiviteter if a not in AKTIVITETSTYPER]
            if bad:
                lint.add("ruleset_unknown_code", path, value=bad, field="aktiviteter")
            acts = tuple(r.aktiviteter)
        if ok:
            compiled.append(
                CompiledRule(
                    r,
                    compile_condition(r.villkor),
                    per_activity,
                    acts,
                    fields_read(r.villkor),
                    evidence_plan(r.villkor, free_text),
                )
            )
    _lint_subject_overlap(name, rules, lint)
    if len(lint.problems) > start or profile_id not in profiles or rs.uppfoljning is None:
        return None
    cited = {s for r in rules for s in r.kallor} | set(rs.kallor)
    used_sources = {s: sources[s] for s in sorted(cited)}
    profile = profiles[profile_id]
    checksumma = _checksum(rs, rules, profile, used_sources.values())
    regelverk = {
        "id": rs.id,
        "titel": rs.titel,
        "version": rs.version,
        "status": rs.status,
        "giltig_fran": rs.giltig_fran,
        "giltig_till": rs.giltig_till,
        "forsta_period": rs.forsta_period,
        "bygger_pa": rs.bygger_pa,
        "checksumma": checksumma,
    }
    plan = Plan(
        tuple(compiled),
        regelverk=regelverk,
        kallor=rs.kallor,
        sources=used_sources,
        demand=demands[profile_id],
        uppfoljning=rs.uppfoljning,
    )
    return RuleSet(
        id=rs.id,
        titel=rs.titel,
        beskrivning=rs.beskrivning,
        version=rs.version,
        status=rs.status,
        giltig_fran=rs.giltig_fran,
        giltig_till=rs.giltig_till,
        forsta_period=rs.forsta_period,
        bygger_pa=rs.bygger_pa,
        checksumma=checksumma,
        kallor=rs.kallor,
        regler=tuple(rules),
        sources=FrozenDict(used_sources),
        profile=profile,
        demand=demands[profile_id],
        uppfoljning=rs.uppfoljning,
        compiled=tuple(compiled),
        _plan=plan,
    )


def _checksum(
    rs: RegelverkFil, rules: list[Regel], profile: KravprofilFil, sources: Iterable[Kalla]
) -> str:
    head = rs.model_dump(mode="json", exclude={"regler", "ta_bort"})
    body = {
        "regelverk": head,
        "regler": [r.model_dump(mode="json") for r in rules],
        "kravprofil": profile.model_dump(mode="json"),
        "kallor": [k.model_dump(mode="json") for k in sources],
    }
    raw = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def _lint_rule_window(path: str, r: Regel, rs: RegelverkFil, lint: _Lint) -> None:
    fran, till = r.giltig_fran, r.giltig_till
    if fran is not None and till is not None and till < fran:
        lint.add("ruleset_date_window", path, detail="giltig_till ligger före giltig_fran")
    if fran is not None and (
        fran < rs.giltig_fran or (rs.giltig_till is not None and fran > rs.giltig_till)
    ):
        lint.add("ruleset_date_window", path, detail="regeln börjar utanför regelverkets tid")
    if till is not None and (
        till < rs.giltig_fran or (rs.giltig_till is not None and till > rs.giltig_till)
    ):
        lint.add("ruleset_date_window", path, detail="regeln slutar utanför regelverkets tid")


def _overlaps(
    a: tuple[_dt.date | None, _dt.date | None], b: tuple[_dt.date | None, _dt.date | None]
) -> bool:
    lo = _dt.date.min
    hi = _dt.date.max
    return (a[0] or lo) <= (b[1] or hi) and (b[0] or lo) <= (a[1] or hi)


def _lint_subject_overlap(name: str, rules: list[Regel], lint: _Lint) -> None:
    for i, r in enumerate(rules):
        for q in rules[:i]:
            if r.subject == q.subject and _overlaps(
                (r.giltig_fran, r.giltig_till), (q.giltig_fran, q.giltig_till)
            ):
                lint.add("ruleset_overlap", f"{name}#{r.id}", what=r.id, other=q.id)


def _lint_ruleset_overlap(built: list[RuleSet], lint: _Lint) -> None:
    for i, r in enumerate(built):
        for q in built[:i]:
            if _overlaps((r.giltig_fran, r.giltig_till), (q.giltig_fran, q.giltig_till)):
                lint.add("ruleset_overlap", r.id, what=f"Regelverket {r.id}", other=q.id)


# ---------------------------------------------------------------- conditions


def _lint_condition(path: str, c: Villkor, lint: _Lint) -> bool:
    start = len(lint.problems)
    for leaf in leaves(c):
        if leaf.harlett is not None:
            _lint_derived_leaf(path, leaf, lint)
        else:
            _lint_field_leaf(path, leaf, lint)
    return len(lint.problems) == start


def _lint_derived_leaf(path: str, leaf: Villkor, lint: _Lint) -> None:
    assert leaf.harlett is not None and leaf.op is not None
    d = DERIVED.get(leaf.harlett)
    if d is None:
        lint.add("ruleset_unknown_derived", path, name=leaf.harlett)
        return
    op, where = leaf.op, f"harlett {leaf.harlett}"
    if leaf.agg is not None:
        lint.add("ruleset_operator_mismatch", path, op=op, field=where, detail="agg gäller listor")
    if d.kind == "bool":
        if op != "lika" or not isinstance(leaf.varde, bool):
            lint.add("ruleset_operator_mismatch", path, op=op, field=where, detail="sant/falskt")
    elif op in COMPARE_OPS or op == "lika":
        if not _is_int(leaf.varde):
            lint.add("ruleset_operator_mismatch", path, op=op, field=where, detail="heltal krävs")
    elif op in ("en_av", "inte_en_av"):
        if not (isinstance(leaf.varde, tuple) and all(_is_int(v) for v in leaf.varde)):
            lint.add("ruleset_operator_mismatch", path, op=op, field=where, detail="heltal krävs")
    else:
        lint.add("ruleset_operator_mismatch", path, op=op, field=where, detail="fel slags värde")


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _lint_field_leaf(path: str, leaf: Villkor, lint: _Lint) -> None:
    assert leaf.falt is not None and leaf.op is not None
    spec = field_spec(leaf.falt)
    if spec is None:
        lint.add("ruleset_unknown_field", path, field=leaf.falt)
        return
    op, f = leaf.op, leaf.falt

    def bad(detail: str) -> None:
        lint.add("ruleset_operator_mismatch", path, op=op, field=f, detail=detail)

    if op in PRESENCE_OPS:
        if leaf.agg or leaf.varde is not None or leaf.okant_om:
            bad("finns/saknas tar inget värde")
        return
    if spec.free_text:
        bad("fritext och personuppgifter får bara prövas med finns/saknas")
        return
    if op in LIST_OPS and not spec.repeats:
        bad("operatorn kräver en lista av svar")
    if op in SCALAR_OPS and spec.repeats:
        bad("operatorn kräver ett enda svar")
    if op in COMPARE_OPS or op in DATE_OPS:
        if spec.repeats and leaf.agg is None:
            bad("en lista behöver agg (max, min, antal)")
        kind = "integer" if leaf.agg == "antal" else spec.node.kind
        if (op in COMPARE_OPS and kind not in ("integer", "choice")) or (
            op in COMPARE_OPS and not _is_int(leaf.varde)
        ):
            bad("jämförelse kräver heltal")
        if op in DATE_OPS and (kind != "date" or leaf.varde is not None):
            bad("datumjämförelse kräver ett datumfält och inget värde")
    if leaf.agg is not None and not spec.repeats:
        bad("agg gäller listor")
    if op in LIST_OPS | SCALAR_OPS:
        if op in {"en_av", "inte_en_av"} | LIST_OPS and not isinstance(leaf.varde, tuple):
            bad("värdet ska vara en lista")
        if op == "lika" and (leaf.varde is None or isinstance(leaf.varde, tuple)):
            bad("värdet ska vara ett enda värde")
    kv = spec.node.kodverk
    values = leaf.varde if isinstance(leaf.varde, tuple) else (leaf.varde,)
    if spec.node.kind == "boolean":
        if not all(isinstance(v, bool) for v in values):
            bad("sant/falskt krävs")
    elif kv is not None and op != "borjar_med" and op not in COMPARE_OPS:
        for v in (*values, *leaf.okant_om):
            if v not in kv.codes:
                lint.add("ruleset_unknown_code", path, value=v, field=f)
