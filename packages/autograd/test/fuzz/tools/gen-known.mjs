// Maintenance tool (not a test): turns fuzz reports (/tmp/memograd-fuzz-<pkg>.json) into
// known-failures entries and a grouped findings list. Usage:
//   node packages/autograd/test/fuzz/tools/gen-known.mjs known > known.txt
//   node packages/autograd/test/fuzz/tools/gen-known.mjs findings > findings.md
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const mode = process.argv[2] ?? 'known';
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\\/]/g, '\\$&');
/** A narrow pattern over an error: its class and the first words, with numbers generalized. */
function errorPattern(kind, error) {
  if (kind === 'hang' || kind === 'crash') return null;
  let head = error.replace(/\s*\[(expected the message|says ').*$/, '');
  head = head.split('\n')[0].slice(0, 70);
  // cut at a word boundary
  if (head.length === 70) head = head.replace(/\s+\S*$/, '');
  const parts = head.split(/(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|'[^']*'|"[^"]*")/);
  const re = parts.map((p, i) => (i % 2 === 1 ? (p.startsWith("'") ? "'[^']*'" : p.startsWith('"') ? '"[^"]*"' : '-?[\\d.e+-]+') : esc(p))).join('');
  const tail = /\[expected the message/.test(error) ? '[\\s\\S]*\\[expected the message' : /\[says '/.test(error) ? `[\\s\\S]*\\[says '${esc(error.match(/\[says '([^']*)'/)[1])}'` : '';
  return `^${re}${tail}`;
}
function argPattern(args) {
  return esc(args.slice(0, 80));
}
const groups = new Map();
for (const pkg of ['autograd', 'nn', 'optim']) {
  const r = JSON.parse(readFileSync(join(tmpdir(), `memograd-fuzz-${pkg}.json`), 'utf8'));
  for (const b of [...r.unexpected, ...r.knownCases]) {
    const pat = errorPattern(b.kind, b.error);
    const key = `${pkg}|${b.entry}|${b.kind}|${pat ?? argPattern(b.args)}`;
    const g = groups.get(key);
    if (!g) groups.set(key, { pkg, entry: b.entry, kind: b.kind, pat, argPat: pat ? null : argPattern(b.args), n: 1, ex: b });
    else {
      g.n++;
      if (b.args.length < g.ex.args.length) g.ex = b;
    }
  }
}
const list = [...groups.values()].sort((a, b) => (a.pkg + a.entry + a.kind).localeCompare(b.pkg + b.entry + b.kind));
if (mode === 'known') {
  let i = 0;
  for (const g of list) {
    i++;
    const id = `K${String(i).padStart(3, '0')}`;
    const fields = [`id: '${id}'`, `pkg: '${g.pkg}'`, `entry: ${JSON.stringify(g.entry)}`, `kind: '${g.kind}'`];
    if (g.pat) fields.push(`error: /${g.pat}/`);
    if (g.argPat) fields.push(`args: /^${g.argPat}/`);
    console.log(`  { ${fields.join(', ')} }, // ×${g.n}`);
  }
} else {
  console.log(JSON.stringify(list.map((g) => ({ pkg: g.pkg, entry: g.entry, kind: g.kind, n: g.n, error: g.ex.error, args: g.ex.args, run: g.ex.run })), null, 1));
}
