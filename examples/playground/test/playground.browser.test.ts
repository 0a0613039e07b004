// The playground in a real browser: vite build, a static server on 127.0.0.1, headless Chromium
// (the system's `chromium`, driven by playwright-core). Skipped, saying so, where there is no chromium.
import { execFileSync, execSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chainPaths, checkDerivation, explain, scalar, stepTable } from '@memograd/autograd';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const dist = join(root, 'dist');
const outDir = join(root, 'test-output');

function findChromium(): string | null {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  for (const name of ['chromium', 'chromium-browser', 'google-chrome']) {
    try {
      const p = execSync(`command -v ${name}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      if (p) return p;
    } catch {
      // not on PATH
    }
  }
  return null;
}
const executablePath = findChromium();
if (!executablePath) console.warn('playground browser tests SKIPPED: no chromium binary on PATH (apt-get install chromium, or set CHROMIUM_PATH)');

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm', '.svg': 'image/svg+xml' };

function serve(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(dir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(server)));
}

const close = (ms: number, a: number, b: number): boolean => Math.abs(a - b) <= ms * (1 + Math.abs(b));

describe.skipIf(!executablePath)('playground in headless Chromium', () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    execFileSync(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    server = await serve(dist);
    browser = await chromium.launch({ executablePath: executablePath!, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console.error: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
    const { port } = server.address() as AddressInfo;
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForSelector('#graph svg');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((ok) => (server ? server.close(ok) : ok(undefined)));
  });

  const nodeRow = async (name: string): Promise<{ value: number; grad: number }> => {
    const row = page.getByTestId(`node-${name}`);
    return {
      value: Number(await row.locator('.value').getAttribute('data-value')),
      grad: Number(await row.locator('.grad').getAttribute('data-value')),
    };
  };

  it('loads the lecture network and draws its graph with values and gradients', async () => {
    const svg = await page.locator('#graph svg').innerHTML();
    for (const name of ['w13', 'w45', 'y5', 'E']) expect(svg).toContain(`>${name}<`);
    expect(svg).toContain('grad ');
    expect(await page.getByTestId('output-summary').textContent()).toMatch(/^E = 0\.0181/);
    expect(errors).toEqual([]);
  });

  it('an expression typed in: values and gradients of every node match the tape', async () => {
    await page.selectOption('#preset', 'expression');
    await page.waitForSelector('[data-testid="node-w"]');
    await page.fill('#program', 'tanh(w*x + b) * x');
    await page.fill('#values', 'w = 0.7, x = -1.3, b = 0.25');
    await page.fill('#constants', '');
    await page.click('#run');
    await page.getByTestId('output-summary').filter({ hasText: /^f = / }).waitFor();
    // the same function on the tape, here
    const w = scalar(0.7, { name: 'w' }), x = scalar(-1.3, { name: 'x' }), b = scalar(0.25, { name: 'b' });
    const f = w.mul(x).add(b).tanh().mul(x);
    f.name = 'f';
    const rows = explain(f, { all: true });
    const shown = await page.locator('[data-testid^="node-"]').count();
    expect(shown).toBe(rows.length);
    for (const r of rows) {
      const got = await nodeRow(r.name);
      expect(close(1e-12, got.value, r.value as number), `${r.name} value`).toBe(true);
      expect(close(1e-12, got.grad, r.gradient as number), `${r.name} grad`).toBe(true);
    }
    // the SVG shows them too (4 significant digits)
    const svg = await page.locator('#graph svg').textContent();
    expect(svg).toContain(`grad ${(rows.find((r) => r.name === 'w')!.gradient as number).toPrecision(4)}`);
    expect(errors).toEqual([]);
  });

  it('clicking a variable lists its chain-rule paths; the products sum to the tape; a path highlights', async () => {
    await page.getByTestId('var-x').click();
    await page.waitForSelector('[data-testid="path-1"]');
    const w = scalar(0.7, { name: 'w' }), x = scalar(-1.3, { name: 'x' }), b = scalar(0.25, { name: 'b' });
    const f = w.mul(x).add(b).tanh().mul(x);
    f.name = 'f';
    const report = chainPaths(f, x);
    expect(await page.locator('li.path').count()).toBe(report.paths.length);
    for (let i = 0; i < report.paths.length; i++) {
      const product = Number(await page.getByTestId(`path-${i}`).getAttribute('data-product'));
      expect(close(1e-12, product, report.paths[i]!.product as number)).toBe(true);
    }
    const sum = page.getByTestId('paths-sum');
    expect(close(1e-12, Number(await sum.getAttribute('data-sum')), report.tape as number)).toBe(true);
    expect(close(1e-12, Number(await sum.getAttribute('data-tape')), report.tape as number)).toBe(true);
    await page.locator('#graph[data-highlight="all-paths"]').waitFor();
    await page.getByTestId('path-0').click();
    const nodes = report.paths[0]!.nodes.join(' → ');
    await page.locator(`#graph[data-highlight="${nodes}"]`).waitFor();
    // highlighted nodes are drawn in red
    expect(await page.locator('#graph svg g.node [stroke="#d62728"]').count()).toBe(report.paths[0]!.nodes.length);
    expect(errors).toEqual([]);
  });

  it('a wrong hand-derived formula gets checkDerivation’s diagnosis (missing-factor, sign), a right one ok', async () => {
    const diagnose = async (variable: string, formula: string): Promise<string> => {
      await page.selectOption('#deriv-var', variable);
      await page.fill('#deriv-formula', formula);
      await page.click('#deriv-check');
      return (await page.getByTestId('deriv-diagnosis').textContent()) ?? '';
    };
    // d/dw tanh(w x + b) x = (1 - tanh²) x²
    expect(await diagnose('w', '(1 - tanh(w*x + b)^2) * x^2')).toBe('ok');
    expect(await diagnose('w', 'x^2')).toBe('missing-factor');
    expect(await page.getByTestId('deriv-explanation').textContent()).toContain('missing');
    expect(await diagnose('w', '-(1 - tanh(w*x + b)^2) * x^2')).toBe('sign');
    // the same verdict as checkDerivation in Node
    const node = checkDerivation((p) => p.w!.mul(p.x!).add(p.b!).tanh().mul(p.x!), { w: (p) => p.x ** 2 }, { at: { w: 0.7, x: -1.3, b: 0.25 }, points: 3 });
    expect(node.get('w')!.diagnosis).toBe('missing-factor');
    expect(errors).toEqual([]);
  });

  it('the lecture network: a forgotten σ′(a3) is a missing factor; one training step gives the lecture’s table', async () => {
    await page.selectOption('#preset', 'lecture');
    await page.waitForSelector('[data-testid="var-w45"]');
    await page.selectOption('#deriv-var', 'w45');
    await page.fill('#deriv-formula', '(y5 - t) * y4');
    await page.click('#deriv-check');
    expect(await page.getByTestId('deriv-diagnosis').textContent()).toBe('missing-factor');
    await page.fill('#deriv-formula', '(y5 - t) * y5 * (1 - y5) * y4');
    await page.click('#deriv-check');
    expect(await page.getByTestId('deriv-diagnosis').textContent()).toBe('ok');

    await page.click('#step');
    await page.waitForSelector('[data-testid="step-w45"]');
    const updated = async (w: string): Promise<string> => (await page.getByTestId(`step-${w}`).locator('.updated').textContent()) ?? '';
    expect(await updated('w45')).toBe('0.8730');
    expect(await updated('w35')).toBe('0.2723');
    expect(await updated('w24')).toBe('0.5926');
    expect(await page.getByTestId('step-text').textContent()).toContain('δ5');
    // the same step with stepTable in Node
    const v = { w13: 0.1, w23: 0.8, w14: 0.4, w24: 0.6, w35: 0.3, w45: 0.9 };
    const p = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, scalar(x, { name: k })]));
    const x1 = scalar(0.35, { requiresGrad: false }), x2 = scalar(0.9, { requiresGrad: false });
    const y3 = p.w13!.mul(x1).add(p.w23!.mul(x2)).sigmoid(), y4 = p.w14!.mul(x1).add(p.w24!.mul(x2)).sigmoid();
    const E = scalar(0.5, { requiresGrad: false }).sub(p.w35!.mul(y3).add(p.w45!.mul(y4)).sigmoid()).square().mul(0.5);
    for (const row of stepTable(E, p, { lr: 1 }).params) {
      expect(close(1e-12, Number(await page.getByTestId(`step-${row.name}`).getAttribute('data-updated')), row.updated)).toBe(true);
    }
    // the new weights are now the values, and the graph is redrawn at them (E went down)
    expect(await page.inputValue('#values')).toContain('w45 = 0.872998');
    await expect.poll(async () => Number(/^E = ([0-9.]+)/.exec((await page.getByTestId('output-summary').textContent()) ?? '')?.[1])).toBeLessThan(E.item());
    mkdirSync(outDir, { recursive: true });
    await page.getByTestId('var-w13').click();
    await page.waitForSelector('[data-testid="path-0"]');
    await page.screenshot({ path: join(outDir, 'playground.png'), fullPage: true });
    expect(errors).toEqual([]);
  });

  it('smoke: the WebAssembly matmul, sigmoid, backward and gradcheck work in the page', async () => {
    await page.locator('footer summary').click();
    await page.click('#smoke');
    await page.getByTestId('smoke-result').filter({ hasText: /^\{/ }).waitFor({ timeout: 60_000 });
    const result = JSON.parse((await page.getByTestId('smoke-result').textContent())!);
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(result.gradcheck).toBe(true);
    expect(result.maxErr).toBeLessThan(1e-4);
    expect(errors).toEqual([]);
  });
});
