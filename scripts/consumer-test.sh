#!/usr/bin/env bash
# Consumer test: what a project that depends on memograd sees. Builds (unless SKIP_BUILD=1), packs the
# three packages with pnpm (publishConfig applied), lints the tarballs with publint and attw, installs them
# into a fresh npm project in a temp dir (npm install --prefer-offline: the tarballs, plus their runtime
# dependencies from the registry or npm's cache, such as @memograd/optim's PNG encoder fast-png), then: ESM
# import + a tiny training run, CJS require() + the same run, @memograd/optim/node writing a TensorBoard
# event file from ESM and CJS, tsc under module nodenext (CJS and ESM files, compiled and run) and
# moduleResolution bundler, a deliberate type error that tsc must report, and an esbuild browser bundle
# with no node: import and a size budget (scripts/bundle-budget.json), plus a bundle of @memograd/optim
# alone that must not contain the Node-only subpath. Usage: bash scripts/consumer-test.sh [--keep]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
PNPM="npx --yes pnpm@10.34.9"
BIN="$ROOT/node_modules/.bin"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/memograd-consumer.XXXXXX")"
[[ "${1:-}" == "--keep" ]] && echo "consumer-test: keeping $TMP" || trap 'rm -rf "$TMP"' EXIT
start=$SECONDS
step() { echo "consumer-test: $*"; }
fail() { echo "consumer-test: FAIL: $*" >&2; exit 1; }

[[ "${SKIP_BUILD:-}" == 1 ]] || $PNPM build > "$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; fail "build"; }

step "pack"
mkdir -p "$TMP/tarballs"
for p in autograd nn optim; do
  (cd "packages/$p" && $PNPM pack --pack-destination "$TMP/tarballs" > /dev/null)
done
for t in "$TMP"/tarballs/*.tgz; do
  tar -xzOf "$t" package/package.json | grep -q '"source"' && fail "$(basename "$t"): packed manifest still has the source condition"
  step "publint $(basename "$t")"
  "$BIN/publint" run --strict "$t" > "$TMP/publint.log" 2>&1 || { cat "$TMP/publint.log"; fail "publint $(basename "$t")"; }
  grep -q "All good" "$TMP/publint.log" || { cat "$TMP/publint.log"; fail "publint reported something for $(basename "$t")"; }
  # cjs-resolves-to-esm is by design: the packages are ESM only and require() works through Node >= 20.19's
  # require(esm) (engines says so; the CJS run below proves it) and TypeScript >= 5.8's module nodenext.
  # attw bundles TypeScript 5.6, whose node16 mode predates require(esm), hence the one ignored rule.
  step "attw $(basename "$t")"
  "$BIN/attw" --no-color --no-emoji --format table-flipped "$t" --ignore-rules cjs-resolves-to-esm > "$TMP/attw.log" 2>&1 \
    || { cat "$TMP/attw.log"; fail "attw $(basename "$t")"; }
done

step "npm install (fresh project, type commonjs: npm's default; runtime dependencies from the registry or npm's cache)"
APP="$TMP/app"
mkdir -p "$APP" && cd "$APP"
npm init -y > /dev/null
npm install --prefer-offline --no-audit --no-fund --loglevel=error "$TMP"/tarballs/*.tgz > "$TMP/npm.log" 2>&1 || { cat "$TMP/npm.log"; fail "npm install"; }
[[ -d node_modules/@memograd/optim/dist ]] || fail "packages not installed"
[[ -d node_modules/fast-png ]] || fail "@memograd/optim's dependency fast-png was not installed"

# the training run, shared by every variant: Linear(3, 1) + SGD on y = x·[1, -2, 0.5] + 0.3
train_body='
const x = tensor([[1, 0, 2], [0, 1, -1], [2, 1, 0], [-1, 2, 1], [0.5, -1, 3], [1, 1, 1]]);
const wTrue = tensor([[1], [-2], [0.5]]);
const y = x.matmul(wTrue).add(0.3);
const model = new Linear(3, 1);
const opt = new SGD(model.parameters(), { lr: 0.05 });
const losses = [];
for (let i = 0; i < 20; i++) {
  opt.zeroGrad();
  const loss = mseLoss(model.call(x), y);
  loss.backward();
  opt.step();
  losses.push(loss.item());
}
if (!(losses[19] < losses[0] * 0.5)) throw new Error("loss did not decrease: " + losses[0] + " -> " + losses[19]);
console.log(KIND + ": loss " + losses[0].toFixed(4) + " -> " + losses[19].toFixed(4));
'
cat > esm.mjs <<JS
import { tensor } from '@memograd/autograd';
import { Linear, mseLoss } from '@memograd/nn';
import { SGD } from '@memograd/optim';
import { saveWeightsFile } from '@memograd/nn/node';
import { toSvg } from '@memograd/autograd/svg';
const KIND = 'ESM import';
if (typeof saveWeightsFile !== 'function') throw new Error('@memograd/nn/node');
$train_body
JS
cat > cjs.cjs <<JS
const { tensor } = require('@memograd/autograd');
const { Linear, mseLoss } = require('@memograd/nn');
const { SGD } = require('@memograd/optim');
const { saveWeightsFile } = require('@memograd/nn/node');
const KIND = 'CJS require';
if (typeof saveWeightsFile !== 'function') throw new Error('@memograd/nn/node');
$train_body
JS
step "ESM run"; node esm.mjs 2>&1 | grep -v ExperimentalWarning || fail "ESM run"
step "CJS run"; node cjs.cjs 2>&1 | grep -v -e ExperimentalWarning -e "node --trace-warnings" || fail "CJS run"
node cjs.cjs > /dev/null 2>&1 || fail "CJS run"
node esm.mjs > /dev/null 2>&1 || fail "ESM run"

# @memograd/optim/node (Node-only: TensorBoard event files, PNG images through fast-png) from ESM and CJS
tb_body='
const dir = mkdtempSync(join(tmpdir(), "memograd-consumer-tb-"));
const w = new SummaryWriter(dir);
w.addScalar("loss", 0.5, 1);
w.addImage("img", tensor([[0, 1], [0.5, 0.25]]), 1, { dataformats: "HW" });
w.close();
const f = readdirSync(dir).find((n) => n.startsWith("events.out.tfevents."));
if (!f || statSync(join(dir, f)).size < 100) throw new Error("no event file written in " + dir);
if (typeof TensorBoard !== "function") throw new Error("TensorBoard callback missing");
console.log(KIND + ": @memograd/optim/node wrote " + f + " (" + statSync(join(dir, f)).size + " bytes)");
'
cat > node-esm.mjs <<JS
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tensor } from '@memograd/autograd';
import { SummaryWriter, TensorBoard } from '@memograd/optim/node';
const KIND = 'ESM import';
$tb_body
JS
cat > node-cjs.cjs <<JS
const { mkdtempSync, readdirSync, statSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { tensor } = require('@memograd/autograd');
const { SummaryWriter, TensorBoard } = require('@memograd/optim/node');
const KIND = 'CJS require';
$tb_body
JS
step "ESM @memograd/optim/node"; node node-esm.mjs 2>&1 | grep -v ExperimentalWarning; node node-esm.mjs > /dev/null 2>&1 || fail "ESM import of @memograd/optim/node"
step "CJS @memograd/optim/node"; node node-cjs.cjs 2>&1 | grep -v -e ExperimentalWarning -e "node --trace-warnings"; node node-cjs.cjs > /dev/null 2>&1 || fail "CJS require of @memograd/optim/node"

# TypeScript: the same run typed; one copy as .ts (CommonJS under nodenext in a type:commonjs project,
# so imports compile to require()), one as .mts (ESM); compiled and run.
ts_body="${train_body//const losses = \[\];/const losses: number[] = [];}"
mkdir -p ts-good ts-bad
printf "import { tensor, type Tensor } from '@memograd/autograd';\nimport { Linear, mseLoss } from '@memograd/nn';\nimport { SGD } from '@memograd/optim';\nimport { saveWeightsFile } from '@memograd/nn/node';\nconst KIND: string = 'TS %s';\nconst check: (p: string) => unknown = saveWeightsFile.length >= 0 ? () => 0 : () => 1;\nvoid check; const t: Tensor = tensor([1]); void t;\n%s\n" "CJS" "$ts_body" > ts-good/cjs.ts
printf "import { tensor, type Tensor } from '@memograd/autograd';\nimport { Linear, mseLoss } from '@memograd/nn';\nimport { SGD } from '@memograd/optim';\nimport { toSvg } from '@memograd/autograd/svg';\nconst KIND: string = 'TS %s';\nvoid toSvg; const t: Tensor = tensor([1]); void t;\n%s\n" "ESM" "$ts_body" > ts-good/esm.mts
cat > ts-bad/bad.ts <<'TS'
import { tensor } from '@memograd/autograd';
import { Linear } from '@memograd/nn';
const model = new Linear(3, 1);
const n: number = model.call(tensor([[1, 2, 3]]));   // deliberate: a Tensor is not a number
export { n };
TS
TSC="$ROOT/node_modules/typescript/bin/tsc"
common='"strict": true, "target": "ES2022", "lib": ["ES2022", "DOM"], "skipLibCheck": false, "types": []'
echo "{ \"compilerOptions\": { $common, \"module\": \"nodenext\", \"outDir\": \"out-nodenext\" }, \"include\": [\"ts-good\"] }" > tsconfig.nodenext.json
echo "{ \"compilerOptions\": { $common, \"module\": \"esnext\", \"moduleResolution\": \"bundler\", \"noEmit\": true }, \"include\": [\"ts-good\"] }" > tsconfig.bundler.json
for mode in nodenext bundler; do
  step "tsc ($mode)"
  node "$TSC" -p "tsconfig.$mode.json" || fail "tsc $mode rejected the good files"
  sed -e 's/"ts-good"/"ts-bad"/' -e 's/"outDir": "out-nodenext"/"noEmit": true/' "tsconfig.$mode.json" > "tsconfig.$mode-bad.json"
  if node "$TSC" -p "tsconfig.$mode-bad.json" > "$TMP/tsc-bad.log" 2>&1; then fail "tsc $mode accepted the deliberate type error"; fi
  grep -q "bad.ts(4,7): error TS2322" "$TMP/tsc-bad.log" || { cat "$TMP/tsc-bad.log"; fail "tsc $mode: not the expected error"; }
  step "tsc ($mode) reported the deliberate error: $(grep -o 'error TS2322.*' "$TMP/tsc-bad.log" | head -c 90)"
done
step "run the tsc nodenext output"
node out-nodenext/cjs.js 2>&1 | grep -v -e ExperimentalWarning -e "node --trace-warnings" ; node out-nodenext/cjs.js > /dev/null 2>&1 || fail "compiled CJS"
node out-nodenext/esm.mjs || fail "compiled ESM"

step "esbuild browser bundle"
cat > browser.mjs <<'JS'
export * from '@memograd/autograd';
export * as svg from '@memograd/autograd/svg';
export * as nn from '@memograd/nn';
export * as optim from '@memograd/optim';
JS
# esbuild's own JS entry, not the pnpm .bin shim: the shim sets NODE_PATH to the workspace's node_modules,
# which esbuild honours. @viz-js/viz (optional peer, loaded by toSvg through a dynamic import) stays external.
node "$ROOT/node_modules/esbuild/bin/esbuild" browser.mjs --bundle --platform=browser --format=esm --minify \
  --external:@viz-js/viz --outfile=bundle.min.js --log-level=warning || fail "esbuild"
if grep -Eo '(from|import|require)\(?"node:[a-z/_]+"' bundle.min.js; then fail "a node: import is left in the browser bundle"; fi
grep -q 'node:' bundle.min.js && step "note: 'node:' occurs in the bundle only as guarded process.getBuiltinModule('node:…') calls, not as imports"
min=$(wc -c < bundle.min.js)
gz=$(node -e 'process.stdout.write(String(require("zlib").gzipSync(require("fs").readFileSync("bundle.min.js"), { level: 9 }).length))')
read -r bmin bgz < <(node -e 'const b = require(process.argv[1]); console.log(b.minifiedBytes, b.gzippedBytes)' "$ROOT/scripts/bundle-budget.json")
step "browser bundle: $min bytes minified (budget $bmin), $gz bytes gzipped (budget $bgz)"
(( min <= bmin )) || fail "minified bundle $min > budget $bmin (scripts/bundle-budget.json)"
(( gz <= bgz )) || fail "gzipped bundle $gz > budget $bgz (scripts/bundle-budget.json)"

# @memograd/optim alone, for a browser: the Node-only subpath (file writing, fast-png) must stay out of it
step "esbuild browser bundle of @memograd/optim alone"
echo "export * from '@memograd/optim';" > browser-optim.mjs
node "$ROOT/node_modules/esbuild/bin/esbuild" browser-optim.mjs --bundle --platform=browser --format=esm \
  --outfile=bundle-optim.js --log-level=warning || fail "esbuild of @memograd/optim (did the main entry import node: code?)"
if grep -Eo '(from|import|require)[[:space:]]*\(?[[:space:]]*"node:[a-z/_]+"' bundle-optim.js; then fail "a node: import is in the browser bundle of @memograd/optim"; fi
if grep -q -e 'class SummaryWriter' -e 'events.out.tfevents' -e 'fast-png' bundle-optim.js; then fail "the browser bundle of @memograd/optim contains the Node-only TensorBoard writer"; fi
step "browser bundle of @memograd/optim: $(wc -c < bundle-optim.js) bytes, no node: import, no TensorBoard writer"

step "OK in $((SECONDS - start)) s"
