// Maintenance tool (not a test): groups the bad cases of the fuzz reports ($TMPDIR/memograd-fuzz-*.json) by
// source file, kind and normalized error, with the shortest reproduction: the body of fuzz-findings.md.
// Usage: node packages/autograd/test/fuzz/tools/findings.mjs > findings.md
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const FILE = (pkg, e) => {
  const n = e.replace(/^(nn|optim)\./, '').replace(/^Tensor#/, '').replace(/^registry\./, '');
  if (pkg === 'autograd') {
    if (/^(add|sub|mul|div|pow|maximum|minimum|eq|ne|lt|le|gt|ge|neg|exp|log|log1p|expm1|sqrt|abs|square|reciprocal|sin|cos|clamp|where|cast|to|sign|clone|float32|float64)$/.test(n)) return 'packages/autograd/src/ops/elementwise.ts';
    if (/^(sigmoid|tanh|relu|leakyRelu|elu|gelu|silu|softplus|softmax|logSoftmax|stableSigmoid)$/.test(n)) return 'packages/autograd/src/ops/activation.ts';
    if (/^(sum|mean|max|min|prod|variance|var|std|logSumExp|norm|argmax|argmin|sumTo)$/.test(n)) return 'packages/autograd/src/ops/reduce.ts (+ shape.ts normalizeAxes)';
    if (/^(reshape|flatten|permute|transpose|expand|squeeze|unsqueeze|slice|cat|stack|gather|indexSelect)$/.test(n)) return 'packages/autograd/src/ops/shape-ops.ts (+ shape.ts validateShape)';
    if (/^(matmul|outer|linear)$/.test(n)) return 'packages/autograd/src/ops/linalg.ts';
    if (/^(zeros|ones|full|zerosLike|onesLike|fullLike|arange|linspace|eye|rand|randn|randint)$/.test(n)) return 'packages/autograd/src/ops/creation.ts (+ shape.ts validateShape, format of sizes)';
    if (/^(tensor|toTensor|Tensor|grad=|requiresGrad=|item|toArray|accessors|scalar)$/.test(n)) return 'packages/autograd/src/tensor.ts';
    if (/^(grad|vjp|hessian|valueAndGrad|customFunction)$/.test(n)) return 'packages/autograd/src/autodiff.ts';
    if (/gradcheck|Gradcheck|gradgradcheck/.test(n)) return 'packages/autograd/src/gradcheck.ts';
    if (/^(explain|toDot)$/.test(n)) return 'packages/autograd/src/explain.ts';
    if (/^(noGrad|enableGrad|detectAnomaly|setDetectAnomaly|backward|registerHook|Node)$/.test(n)) return 'packages/autograd/src/engine.ts (+ tensor.ts)';
    if (/^(Generator#methods|Generator|manualSeed)$/.test(n)) return 'packages/autograd/src/random.ts';
    if (/^(broadcastShapes|formatShape)$/.test(n)) return 'packages/autograd/src/shape.ts';
    if (/^(erf|erfc)$/.test(n)) return 'packages/autograd/src/ops/special.ts';
    return 'packages/autograd/src (?)';
  }
  if (pkg === 'nn') {
    if (/Loss|Entropy|^nll|^mse|^l1Loss|^mae|^huber|^smoothL1|^binaryCross|^crossEntropy|^categorical|^sparse/.test(n)) return 'packages/nn/src/losses.ts';
    if (/^Module#|^Module$|^Parameter$|^StateDictError$/.test(n)) return 'packages/nn/src/module.ts';
    if (/_$|^init$|^calculateGain|^computeFans/.test(n)) return 'packages/nn/src/init.ts';
    if (/Penalty|regularizers/.test(n)) return 'packages/nn/src/regularizers.ts';
    if (/summary|formatCount/.test(n)) return 'packages/nn/src/summary.ts';
    if (/Weights/.test(n)) return 'packages/nn/src/weights.ts';
    if (/Safetensors/.test(n)) return 'packages/nn/src/safetensors.ts';
    return 'packages/nn/src/layers.ts';
  }
  if (/Schedule|cosineLr|LR$|LRScheduler|ReduceLROnPlateau|^LambdaLR|^StepLR/.test(n)) return 'packages/optim/src/scheduler.ts';
  if (/Callback|EarlyStopping|History|LearningRateScheduler/.test(n)) return 'packages/optim/src/callbacks.ts';
  if (/^(fit|evaluate|predict|accuracy)$/.test(n)) return 'packages/optim/src/fit.ts';
  if (/clip/.test(n)) return 'packages/optim/src/clip.ts';
  if (/zerosLike/.test(n)) return 'packages/optim/src/param.ts';
  return 'packages/optim/src/optimizer.ts (+ the optimizer files)';
};
const norm = (kind, e) => {
  if (kind === 'hang' || kind === 'crash') return e;
  let s = e.split('\n')[0];
  const why = (e.match(/\[(expected the message[^\]]*|says '[^']*'[^\]]*)\]/) ?? [])[1];
  s = s.replace(/\s*\[(expected the message|says ').*$/, '');
  s = s.replace(/^(\w+Error: )(\S+?): /, '$1$2: ');
  s = s.replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/g, 'N').replace(/'[^']*'/g, "'…'").replace(/"[^"]*"/g, '"…"').replace(/got .*$/, 'got …').replace(/\[[^\]]*\]/g, '[…]');
  return why ? `${s}  — ${why.replace(/'[^']*' or /g, '').replace(/expected the message to start with.*/, 'message does not start with the function name')}` : s;
};
const groups = new Map();
let total = { raw: 0, message: 0, wrong: 0, state: 0, hang: 0, crash: 0 };
for (const pkg of ['autograd', 'nn', 'optim']) {
  const r = JSON.parse(readFileSync(join(tmpdir(), `memograd-fuzz-${pkg}.json`), 'utf8'));
  for (const b of [...r.unexpected, ...r.knownCases]) {
    total[b.kind]++;
    const file = FILE(pkg, b.entry);
    const sig = b.kind === 'hang' ? `hang: ${b.args.match(/cyclic/) ? 'cyclic nested array as a tensor-like' : b.entry}` : norm(b.kind, b.error);
    const key = `${file}|${b.kind}|${sig}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { file, kind: b.kind, sig, n: 0, entries: new Set(), ex: b }));
    g.n++;
    g.entries.add(b.entry);
    if (b.args.length + b.error.length < g.ex.args.length + g.ex.error.length) g.ex = b;
  }
}
const order = ['hang', 'crash', 'wrong', 'state', 'raw', 'message'];
const list = [...groups.values()].sort((a, b) => a.file.localeCompare(b.file) || order.indexOf(a.kind) - order.indexOf(b.kind) || b.n - a.n);
console.log(`Totals over the seeded CI run: ${JSON.stringify(total)}; ${list.length} distinct classes.\n`);
let file = '';
let i = 0;
for (const g of list) {
  if (g.file !== file) { file = g.file; console.log(`\n### ${file}\n`); }
  i++;
  const entries = [...g.entries].sort();
  console.log(`- **F${String(i).padStart(3, '0')} [${g.kind}] ×${g.n}** in ${entries.slice(0, 8).map((e) => '`' + e + '`').join(', ')}${entries.length > 8 ? ` (+${entries.length - 8} more)` : ''}: ${g.sig.replace(/\|/g, '\\|').slice(0, 240)}`);
  console.log(`  - repro: \`${g.ex.entry}(${g.ex.args.replace(/`/g, "'").slice(0, 300)})\` → ${g.kind === 'hang' ? 'no return within the budget' : '`' + g.ex.error.split('\n')[0].replace(/`/g, "'").slice(0, 260) + '`'} (run ${g.ex.run})`);
}
