#!/usr/bin/env bash
# Regenerate responses/*.json with LHC-Forms (see README.md). Needs npm, /usr/bin/chromium and
# intyg installed in the current Python.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
cp ../../../schemas/lakarintyg-socialnamnd/1.0.0/questionnaire.json .
python -m intyg example --format fhir > example-qr.json
python -m http.server 8765 --bind 127.0.0.1 >/dev/null 2>&1 &
server=$!
trap 'kill $server; rm -f questionnaire.json example-qr.json' EXIT
sleep 1
node export.mjs
