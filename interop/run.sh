#!/usr/bin/env bash
# Runs the interoperability and conformance tests of this module: first
# everything under the race detector, then the 9.x cases (messages up to
# 16 MiB) and the compression cases (12.x, 13.x), which the race detector
# makes too slow, without it.
set -euo pipefail
cd "$(dirname "$0")"

# The Node.js peers (ws, and playwright-core driving the system Chromium).
# Their tests skip only when node or chromium is not installed.
if command -v npm >/dev/null && [ ! -d node/node_modules/ws ]; then
  echo "== interop: npm ci (ws, playwright-core)"
  (cd node && npm ci --no-audit --no-fund)
fi

echo "== interop: go vet"
go vet ./...

echo "== interop: go test -race (gorilla interop, conformance 1-7 and 10 against the codec, serve, dial, gorilla, coder and gobwas, node and browser peers)"
go test -race -count=1 -timeout 10m ./...

echo "== interop: go test (conformance 9.x, the soak test and permessage-deflate 12.x/13.x, without -race)"
go test -count=1 -timeout 10m -run 'TestConformanceBig|TestSoak|TestConformanceDeflate' ./...
