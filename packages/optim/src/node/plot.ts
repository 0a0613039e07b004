/**
 * `plotHistory`: a training history drawn to an SVG file and a self-contained HTML report, with
 * Vega-Lite compiled to Vega and rendered by Vega's headless view (no browser, no canvas).
 *
 * vega and vega-lite are optional peer dependencies (together several megabytes): they are loaded
 * with `import()` on the first call, and a missing one is reported with the command that installs it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { MemogradError } from '@memograd/autograd';
import { buildHistorySpec, formatValue } from '../plot.ts';
import type { BestEpoch, HistoryInput, HistorySpecOptions } from '../plot.ts';
import { argumentError, describe } from '../util.ts';

/** Options of `plotHistory`: the chart's (see `historySpec`) and where to write it. */
export interface PlotHistoryOptions extends HistorySpecOptions {
  /** The SVG file to write (default 'history.svg'); `false` writes none. Parent folders are created. */
  path?: string | false;
  /** The HTML report to write (default: `path` with `.html` for `.svg`); `false` writes none. */
  html?: string | false;
}

/** What `plotHistory` returns. */
export interface PlotHistoryResult {
  /** The SVG document. */
  svg: string;
  /** The HTML report: the SVG inlined and a table of the final and best values. */
  html: string;
  /** The Vega-Lite spec that was rendered (for vega-embed in a page). */
  spec: Record<string, unknown>;
  /** The best epoch marked, or null. */
  best: BestEpoch | null;
  /** The files written. */
  files: PlotFiles;
}

/** The paths `plotHistory` wrote to. */
export interface PlotFiles {
  /** The SVG file, or null when `path: false`. */
  svg: string | null;
  /** The HTML report, or null when `html: false`. */
  html: string | null;
}

interface VegaLike {
  parse(spec: unknown): unknown;
  View: new (runtime: unknown, options: { renderer: string }) => { toSVG(): Promise<string>; finalize(): void };
}
interface VegaLiteLike {
  compile(spec: unknown, options?: { logger?: unknown }): { spec: unknown };
}

/**
 * Vega-Lite's logger interface, silent: its warnings (about a spec this module wrote) would land on
 * the user's console in the middle of a training log; errors still throw.
 */
interface QuietLogger {
  level(): QuietLogger;
  error(...m: unknown[]): never;
  warn(): QuietLogger;
  info(): QuietLogger;
  debug(): QuietLogger;
}
const quietLogger: QuietLogger = {
  level: () => quietLogger,
  error: (...m: unknown[]): never => {
    throw new Error(m.map(String).join(' '));
  },
  warn: () => quietLogger,
  info: () => quietLogger,
  debug: () => quietLogger,
};

let enginePromise: Promise<{ vega: VegaLike; vl: VegaLiteLike }> | null = null;

/** Loads vega and vega-lite once; a missing package is a MemogradError naming plotHistory and the install command. */
function loadEngine(op: string): Promise<{ vega: VegaLike; vl: VegaLiteLike }> {
  enginePromise ??= Promise.all([import('vega'), import('vega-lite')]).then(
    ([vega, vl]) => ({ vega: vega as unknown as VegaLike, vl: vl as unknown as VegaLiteLike }),
    (e: unknown) => {
      enginePromise = null; // a later call may find them installed
      throw new MemogradError(
        op,
        `drawing needs the optional peer dependencies 'vega' and 'vega-lite', which could not be loaded ` +
          `(${e instanceof Error ? e.message : String(e)}); install them with 'npm install vega vega-lite', ` +
          `or render historySpec(history).spec with vega-embed in a page`,
      );
    },
  );
  return enginePromise;
}

/** Renders a Vega-Lite spec to an SVG document with Vega's headless view. */
async function renderSvg(op: string, spec: Record<string, unknown>): Promise<string> {
  const { vega, vl } = await loadEngine(op);
  let view: { toSVG(): Promise<string>; finalize(): void } | undefined;
  try {
    view = new vega.View(vega.parse(vl.compile(spec, { logger: quietLogger }).spec), { renderer: 'none' });
    return await view.toSVG();
  } catch (e) {
    throw new MemogradError(op, `Vega could not render the chart: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    view?.finalize();
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The self-contained report: the title, the SVG inline, and each logged key's final and best-epoch values. */
function report(title: string, svg: string, h: Record<string, number[]>, best: BestEpoch | null): string {
  const keys = Object.keys(h);
  const rows = keys.map((k) => {
    const v = h[k]!;
    const atBest = best !== null && k in best.logs ? formatValue(best.logs[k]!) : '';
    return `<tr><th scope="row">${escapeHtml(k)}</th><td>${formatValue(v[v.length - 1]!)}</td>${best ? `<td>${atBest}</td>` : ''}</tr>`;
  });
  const epochs = Math.max(...keys.map((k) => h[k]!.length));
  const bestLine = best
    ? `<p>Best epoch: <strong>${best.epoch}</strong> of ${epochs}, by ${escapeHtml(best.monitor)} = ${formatValue(best.value)}.</p>`
    : `<p>${epochs} epochs; no best epoch marked.</p>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin-top: 1em; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid #ccc; padding: 0.3em 0.8em; text-align: right; }
th[scope=row] { text-align: left; font-weight: normal; font-family: ui-monospace, monospace; }
thead th { background: #f3f3f3; }
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${bestLine}
${svg.replace(/^<\?xml[^>]*>\s*/, '')}
<table>
<thead><tr><th>log key</th><th>final (epoch ${epochs})</th>${best ? `<th>best (epoch ${best.epoch})</th>` : ''}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
</body>
</html>
`;
}

function checkPath(op: string, name: string, v: unknown): void {
  if (v === false) return;
  if (typeof v !== 'string' || v === '' || v.includes('\0')) throw argumentError(`${op}: options.${name} must be a non-empty file path or false, got ${describe(v)}`);
}

async function write(op: string, path: string, text: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (e) {
    throw argumentError(`${op}: cannot write ${JSON.stringify(path)}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * Draws a training history (fit()'s `History`, or Keras-style `history.history`) to an SVG file and
 * a self-contained HTML report: one panel per metric with training and validation curves, the best
 * epoch marked (by `val_loss` when logged, else `loss`), and the learning rate when `lr` was logged.
 * Needs the optional peer dependencies `vega` and `vega-lite` (`npm install vega vega-lite`).
 *
 * @example
 * const history = fit(model, { x, y, epochs: 20, validationSplit: 0.2 });
 * const { best } = await plotHistory(history, { path: 'runs/history.svg', title: 'MNIST MLP' });
 * // writes runs/history.svg and runs/history.html
 */
export async function plotHistory(history: HistoryInput, options: PlotHistoryOptions = {}): Promise<PlotHistoryResult> {
  const op = 'plotHistory';
  const { spec, best, history: h } = buildHistorySpec(op, history, options);
  const o = options ?? {};
  const path = o.path === undefined ? 'history.svg' : o.path;
  checkPath(op, 'path', path);
  const htmlPath = o.html === undefined ? (path === false ? false : /\.svg$/i.test(path) ? path.replace(/\.svg$/i, '.html') : `${path}.html`) : o.html;
  checkPath(op, 'html', htmlPath);
  if (path !== false && path === htmlPath) throw argumentError(`${op}: options.path and options.html are the same file ${JSON.stringify(path)}`);
  const svg = await renderSvg(op, spec);
  const html = report(o.title ?? 'Training history', svg, h, best);
  if (path !== false) await write(op, path, svg);
  if (htmlPath !== false) await write(op, htmlPath, html);
  return { svg, html, spec, best, files: { svg: path === false ? null : path, html: htmlPath === false ? null : htmlPath } };
}
