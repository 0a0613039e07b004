#!/usr/bin/env bash
# Loads the built package in headless Chromium: the WebAssembly SIMD matmul and exp kernels, a
# backward pass and gradcheck must work in a browser too (no worker threads there: one thread).
# Needs Debian's chromium (apt-get install chromium) and python3. Prints the page's JSON result and
# exits non-zero unless it says "ok":true.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkg="$here/../.."
(cd "$pkg" && npx tsc -p tsconfig.build.json)
site="$(mktemp -d)"
cp "$here/index.html" "$site/" && cp -r "$pkg/dist" "$site/dist"
port=8731
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$site" >/dev/null 2>&1 &
server=$!
trap 'kill $server' EXIT
sleep 1
result="$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$(mktemp -d)" --virtual-time-budget=20000 --dump-dom "http://127.0.0.1:$port/index.html" 2>/dev/null \
  | grep -o '<pre id="out">[^<]*' | sed 's/<pre id="out">//')"
echo "$result"
[[ "$result" == *'"ok":true'* ]]
