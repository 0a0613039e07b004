/**
 * `@memograd/autograd/svg`: graph pictures as SVG, through Graphviz compiled to WebAssembly
 * (`@viz-js/viz`, an optional peer dependency). Kept out of the core entry, which has no runtime
 * dependencies: `import { toSvg } from '@memograd/autograd/svg'` loads Graphviz only when called,
 * and says how to install it when it is missing.
 *
 *     const svg = await toSvg(loss, { grads: true, highlight: chainPaths(loss, w13).paths[0] });
 *
 * @module \@memograd/autograd/svg
 */
import { ArgumentError, MemogradError } from './errors.ts';
import { toDot, type ToDotOptions } from './explain.ts';
import { describe } from './shape.ts';
import type { Tensor } from './tensor.ts';

interface VizLike {
  renderString(input: string, options?: { format?: string }): string;
}

let vizPromise: Promise<VizLike> | null = null;

function loadViz(op: string): Promise<VizLike> {
  vizPromise ??= import('@viz-js/viz').then(
    (m) => m.instance() as Promise<VizLike>,
    (e: unknown) => {
      vizPromise = null;
      throw new MemogradError(
        op,
        `SVG rendering needs the optional peer dependency '@viz-js/viz' (Graphviz in WebAssembly), which could not be loaded ` +
          `(${e instanceof Error ? e.message : String(e)}); install it with 'npm install @viz-js/viz', or render toDot's output with Graphviz yourself`,
      );
    },
  );
  return vizPromise;
}

async function render(op: string, dot: string): Promise<string> {
  const viz = await loadViz(op);
  try {
    return viz.renderString(dot, { format: 'svg' });
  } catch (e) {
    throw new ArgumentError(op, `Graphviz could not render the DOT text: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Renders Graphviz DOT text (such as `toDot`'s) to an SVG document string. */
export async function renderSvg(dot: string): Promise<string> {
  if (typeof dot !== 'string') throw new ArgumentError('renderSvg', `argument 'dot' must be a string of Graphviz DOT text, got ${describe(dot)}`);
  return render('renderSvg', dot);
}

/** `toDot(output, options)` rendered to SVG: every node's name, op, value (and gradient with `grads`). */
export async function toSvg(output: Tensor, options?: ToDotOptions): Promise<string> {
  const dot = (() => {
    try {
      return toDot(output, options);
    } catch (e) {
      if (e instanceof MemogradError && e.op === 'toDot') {
        const Ctor = e.constructor as new (op: string, message: string) => MemogradError;
        throw new Ctor('toSvg', e.message.replace(/^toDot: /, ''));
      }
      throw e;
    }
  })();
  return render('toSvg', dot);
}
