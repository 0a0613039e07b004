/**
 * Fuzz entries for the training plots: `historySpec` (main entry) and `plotHistory`
 * (`@memograd/optim/node`, async). plotHistory writes only inside a temporary folder of its own: a
 * relative path (a garbage 'NaN' included) is taken relative to it, and an options object without
 * a path gets one there, so the default 'history.svg' never lands in the working directory.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import fc from 'fast-check';
import * as optim from '@memograd/optim';
import * as optimNode from '@memograd/optim/node';
import { args, garbage, label, mix, opt, type FuzzEntry } from '../../../autograd/test/fuzz/harness.ts';

const FILES = mkdtempSync(join(tmpdir(), 'memograd-fuzz-plot-'));
const inFiles = (p: unknown): unknown => (typeof p === 'string' && !isAbsolute(p) ? join(FILES, p) : p);

/** Histories: Keras-style records, fit()'s History, odd values (NaN, one epoch, unequal lengths), garbage. */
const HISTORIES: ReadonlyArray<[string, () => unknown]> = [
  ['{ loss: [0.9, 0.5, 0.4], val_loss: [1, 0.7, 0.75] }', () => ({ loss: [0.9, 0.5, 0.4], val_loss: [1, 0.7, 0.75] })],
  ['{ loss, accuracy, val_loss, val_accuracy, lr } over 4 epochs', () => ({ loss: [1, 0.6, 0.4, 0.3], accuracy: [0.5, 0.7, 0.8, 0.85], val_loss: [1.1, 0.7, 0.5, 0.55], val_accuracy: [0.45, 0.65, 0.75, 0.74], lr: [0.1, 0.1, 0.01, 0.01] })],
  ['{ loss: [NaN, Infinity, 0.5] }', () => ({ loss: [NaN, Infinity, 0.5] })],
  ['{ loss: [NaN] }', () => ({ loss: [NaN] })],
  ['{ loss: [1] }', () => ({ loss: [1] })],
  ['{ loss: [1, 0.5, 0.2], val_loss: [0.9] } (unequal lengths)', () => ({ loss: [1, 0.5, 0.2], val_loss: [0.9] })],
  ['{ learning_rate: [0.1, 0.05] } (only a learning rate)', () => ({ learning_rate: [0.1, 0.05] })],
  ["{ loss: [1, 'x'] }", () => ({ loss: [1, 'x'] })],
  ['{ loss: [] }', () => ({ loss: [] })],
  ['a History with loss [0.8, 0.6] and val_loss [0.9, 0.65]', () => {
    const h = new optim.History();
    h.history = { loss: [0.8, 0.6], val_loss: [0.9, 0.65] };
    h.epoch = [0, 1];
    return h;
  }],
];
const historyArb = fc.oneof(
  { arbitrary: fc.constantFrom(...HISTORIES).map(([l, f]) => { const v = f(); return typeof v === 'object' ? label(v as object, l) : v; }), weight: 5 },
  { arbitrary: garbage, weight: 1 },
);
const specOptions = {
  title: opt(fc.constantFrom('Run 1', '')),
  metrics: opt(fc.constantFrom(['loss'], ['accuracy'], ['val_loss'], [], ['nope'])),
  monitor: opt(fc.constantFrom('loss', 'val_loss', 'val_accuracy', null, 'nope')),
  mode: opt(fc.constantFrom('auto', 'min', 'max', 'sideways')),
  width: opt(fc.constantFrom(200, 480, 50, 1.5)),
};
const specOptionsArb = opt(fc.record(specOptions, { requiredKeys: [] }));
const plotOptionsArb = fc.oneof(
  {
    arbitrary: fc.record({
      ...specOptions,
      path: mix(fc.constantFrom('h.svg', 'nested/dir/h.svg', false), 4, 1),
      html: opt(fc.constantFrom('report.html', false, 'h.svg')),
    }, { requiredKeys: ['path'] }) as fc.Arbitrary<unknown>,
    weight: 5,
  },
  { arbitrary: garbage, weight: 1 },
);

/**
 * The options with every path moved into the temp folder. Any object may arrive (fast-check's records
 * can have a null prototype; garbage includes Maps and tensors), and plotHistory would write
 * 'history.svg' into the working directory for one without a path: an object that is not a plain
 * record gets a child object with its own `path` (everything else inherited), and undefined becomes
 * { path } alone (the defaults otherwise).
 */
function inTemp(o: unknown): unknown {
  // no options at all would write history.svg and history.html into the working directory
  if (o === undefined) return { path: join(FILES, 'default.svg') };
  if (o === null || typeof o !== 'object' || Array.isArray(o)) return o;
  const r = o as Record<string, unknown>;
  const path = Object.hasOwn(r, 'path') && r.path !== undefined ? inFiles(r.path) : join(FILES, 'default.svg');
  const html = Object.hasOwn(r, 'html') ? { html: inFiles(r.html) } : {};
  const proto = Object.getPrototypeOf(o);
  if (proto === Object.prototype || proto === null) return { ...r, path, ...html };
  return Object.create(o, { path: { value: path, enumerable: true }, ...(Object.hasOwn(r, 'html') ? { html: { value: html.html, enumerable: true } } : {}) });
}

export const PLOT_ENTRIES: FuzzEntry[] = [
  {
    name: 'optim.historySpec', covers: ['optim:historySpec'], gen: args(historyArb, specOptionsArb),
    call: (h, o) => optim.historySpec(h as never, o as never),
    // the spec must be JSON (vega-embed takes it as such) with one panel per metric plus the lr panel
    check: (r) => {
      const s = r as optim.HistorySpec;
      const panels = (s.spec.vconcat as unknown[]).length;
      if (panels !== s.metrics.length + (s.lrKey ? 1 : 0)) return `${panels} panels for metrics ${JSON.stringify(s.metrics)} and lr key ${String(s.lrKey)}`;
      return JSON.stringify(JSON.parse(JSON.stringify(s.spec))) === JSON.stringify(s.spec) ? null : 'the spec does not survive JSON';
    },
  },
  {
    name: 'optim/node.plotHistory', covers: ['optim/node:plotHistory'], gen: args(historyArb, plotOptionsArb),
    call: async (h, o) => {
      const r = await optimNode.plotHistory(h as never, inTemp(o) as never);
      return r.svg.startsWith('<svg') && r.html.startsWith('<!DOCTYPE html>') ? r.files : { bad: 'not an SVG and an HTML document' };
    },
    check: (r) => (r !== null && typeof r === 'object' && 'bad' in r ? String((r as { bad: string }).bad) : null),
    runs: 0.4,
  },
];
