// Alternates servers of scripts/profile-mlp-step.ts/.py (any number: memograd checkouts, PyTorch)
// round by round so that all of them see the same load, and prints each one's median and min
// ms/step per case, and the ratios to the first server.
//
//   node profile-mlp-step-ab.mjs ROUNDS THREADS 'label=command' ...
//   e.g. 'new=node --conditions=source --import tsx packages/autograd/scripts/profile-mlp-step.ts 1 serve'
//        'torch=/usr/bin/python3 packages/autograd/scripts/profile-mlp-step.py 1 1 serve'
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const [rounds, threads, ...specs] = process.argv.slice(2);
const servers = specs.map((s) => {
  const [label, cmd] = [s.slice(0, s.indexOf('=')), s.slice(s.indexOf('=') + 1)];
  const p = spawn('bash', ['-c', cmd], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, MEMOGRAD_MATMUL_THREADS: threads, LD_LIBRARY_PATH: '/usr/lib/x86_64-linux-gnu/openblas-pthread' },
  });
  const lines = createInterface({ input: p.stdout })[Symbol.asyncIterator]();
  return { label, p, ask: async (c) => (p.stdin.write(c + '\n'), Number((await lines.next()).value)) };
});
const cases = ['sgd32', 'sgd128', 'adam64'];
const res = new Map();
for (let r = 0; r < Number(rounds); r++)
  for (const c of cases)
    for (let j = 0; j < servers.length; j++) {
      const s = servers[(j + r) % servers.length];
      const t = await s.ask(c);
      if (r === 0) continue; // warm-up round
      const key = `${s.label} ${c}`;
      res.set(key, [...(res.get(key) ?? []), t]);
    }
const med = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
for (const c of cases) {
  const base = med(res.get(`${servers[0].label} ${c}`));
  console.log(c + ': ' + servers.map((s) => {
    const a = res.get(`${s.label} ${c}`);
    return `${s.label} ${med(a).toFixed(3)} (min ${Math.min(...a).toFixed(3)}, x${(med(a) / base).toFixed(2)})`;
  }).join('  '));
}
for (const s of servers) s.p.stdin.end();
