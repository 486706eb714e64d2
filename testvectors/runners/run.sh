#!/usr/bin/env bash
# Checks schema.json with an independent validator, then runs the shipped
# vectors through two independent implementations, Python's
# wsproto (Debian's python3-wsproto) and Node's ws (npm, pinned by
# node/package-lock.json), and fails if either does worse than its
# expected-deviation list (python/expected.json, node/expected.json). Each
# runner must also catch every vector of the deliberately wrong files in
# ../testdata and testdata: a runner that cannot fail proves nothing.
set -euo pipefail
cd "$(dirname "$0")"

# Debian's interpreter: python3-wsproto installs into its dist-packages.
py=/usr/bin/python3
wrong=(../testdata/wrong.json ../testdata/wrong-messages.json testdata)

echo "== vectors: schema.json and the loader agree (python3-jsonschema)"
"$py" -B python/check_schema.py

echo "== vectors: wsproto"
"$py" -B python/run_wsproto.py
"$py" -B python/run_wsproto.py --must-fail "${wrong[@]}" | tail -n 1

if [ ! -d node/node_modules/ws ]; then
  echo "== vectors: npm ci (ws)"
  for try in 1 2 3; do
    if (cd node && npm ci --no-audit --no-fund); then break; fi
    [ "$try" = 3 ] && exit 1
    echo "npm ci failed (try $try)"; sleep 5
  done
fi
echo "== vectors: ws"
node node/run_ws.js
node node/run_ws.js --must-fail "${wrong[@]}" | tail -n 1
