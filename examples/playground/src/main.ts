// The playground page: every number comes from memograd's tape, in the page.
import { chainPaths, checkDerivation, explain, scalar, stepTable, toDot, type ChainPath, type Tensor } from '@memograd/autograd';
import { renderSvg } from '@memograd/autograd/svg';
import { parse } from 'mathjs';
import { evaluateNumber, evaluateTensor, parseProgram, parseValues, type Program } from './evaluate.ts';
import { runSmokeCheck } from './smoke.ts';

const PRESETS = {
  lecture: {
    program: ['a1 = w13*x1 + w23*x2', 'y3 = sigmoid(a1)', 'a2 = w14*x1 + w24*x2', 'y4 = sigmoid(a2)', 'a3 = w35*y3 + w45*y4', 'y5 = sigmoid(a3)', 'error = t - y5', 'E = 0.5*error^2'].join('\n'),
    values: 'w13 = 0.1, w23 = 0.8, w14 = 0.4, w24 = 0.6, w35 = 0.3, w45 = 0.9, x1 = 0.35, x2 = 0.9, t = 0.5',
    constants: 'x1, x2, t',
    derivVar: 'w45',
    formula: '(y5 - t) * y4',
    deltaNames: { a3: 'δ5', a1: 'δ3', a2: 'δ4' } as Record<string, string>,
  },
  expression: {
    program: 'sigmoid(w*x + b)',
    values: 'w = 0.5, x = 1.5, b = -0.2',
    constants: '',
    derivVar: 'w',
    formula: 'sigmoid(w*x + b) * (1 - sigmoid(w*x + b)) * x',
    deltaNames: {} as Record<string, string>,
  },
};
type PresetName = keyof typeof PRESETS;

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};
const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
};
const fmt = (v: number): string => (Number.isInteger(v) ? String(v) : v.toPrecision(6).replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
const fmtAny = (v: number | readonly number[] | null): string => (v === null ? '—' : typeof v === 'number' ? fmt(v) : `[${v.map(fmt).join(', ')}]`);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

interface State {
  program: Program;
  values: Record<string, number>;
  constants: Set<string>;
  inputs: Record<string, Tensor>;
  output: Tensor;
  preset: PresetName | 'custom';
  selected: string | null;
}
let state: State | null = null;
let renderToken = 0;

/** Builds the graph from the form: named leaf tensors, then the program on them. */
function build(): State {
  const program = parseProgram($<HTMLTextAreaElement>('program').value);
  const values = parseValues($<HTMLInputElement>('values').value);
  const constants = new Set($<HTMLInputElement>('constants').value.split(/[\s,]+/).filter((s) => s !== ''));
  const missing = program.variables.filter((v) => !(v in values));
  if (missing.length > 0) throw new Error(`give a value to ${missing.join(', ')}`);
  const inputs: Record<string, Tensor> = {};
  for (const v of program.variables) inputs[v] = scalar(values[v]!, { name: v, requiresGrad: !constants.has(v) });
  const output = evaluateTensor(program, inputs);
  if (output.name === undefined || output.name === null || output.name === '') output.name = 'f';
  if (output.size !== 1) throw new Error('the output must be a single number');
  return { program, values, constants, inputs, output, preset: currentPreset(), selected: null };
}

function currentPreset(): PresetName {
  return $<HTMLSelectElement>('preset').value as PresetName;
}

async function drawGraph(highlight?: ChainPath | Tensor[]): Promise<void> {
  if (!state) return;
  const token = ++renderToken;
  const dot = toDot(state.output, highlight ? { grads: true, highlight } : { grads: true });
  const svg = await renderSvg(dot);
  if (token !== renderToken) return; // a newer drawing started meanwhile
  const graph = $('graph');
  graph.innerHTML = svg;
  graph.dataset.highlight = highlight ? (Array.isArray(highlight) ? 'all-paths' : highlight.nodes.join(' → ')) : '';
  // variables in the picture are clickable too
  for (const g of Array.from(graph.querySelectorAll<SVGGElement>('g.node'))) {
    const name = g.querySelector('title')?.textContent ?? '';
    if (state.inputs[name]?.requiresGrad) {
      g.classList.add('clickable');
      g.addEventListener('click', () => selectVariable(name));
    }
  }
  graph.dataset.ready = String(token);
}

function showNodes(): void {
  if (!state) return;
  const tbody = $('nodes').querySelector('tbody')!;
  tbody.replaceChildren();
  for (const r of explain(state.output, { all: true })) {
    const tr = el('tr', { 'data-testid': `node-${r.name}` });
    const value = typeof r.value === 'number' ? r.value : NaN;
    const gradient = typeof r.gradient === 'number' ? r.gradient : null;
    tr.append(el('td', {}, r.name), el('td', { class: 'text' }, r.op ?? 'input'));
    tr.append(el('td', { class: 'value', 'data-value': String(value) }, fmt(value)));
    tr.append(el('td', { class: 'grad', 'data-value': gradient === null ? '' : String(gradient) }, gradient === null ? '—' : fmt(gradient)));
    tbody.append(tr);
  }
  $('output-summary').textContent = `${state.output.name} = ${fmt(state.output.item())}`;
}

function showVariables(): void {
  if (!state) return;
  const box = $('variables');
  box.replaceChildren();
  const select = $<HTMLSelectElement>('deriv-var');
  const previous = select.value;
  select.replaceChildren();
  for (const [name, t] of Object.entries(state.inputs)) {
    if (!t.requiresGrad) continue;
    const b = el('button', { class: 'var', 'data-testid': `var-${name}` }, name);
    b.addEventListener('click', () => selectVariable(name));
    box.append(b);
    select.append(el('option', { value: name }, name));
  }
  if (Array.from(select.options).some((o) => o.value === previous)) select.value = previous;
}

function selectVariable(name: string): void {
  if (!state) return;
  state.selected = name;
  for (const b of Array.from($('variables').querySelectorAll('button'))) b.classList.toggle('active', b.textContent === name);
  const out = $('paths');
  out.replaceChildren();
  try {
    const report = chainPaths(state.output, state.inputs[name]!);
    const list = el('ol');
    report.paths.forEach((p, i) => {
      const li = el('li', { class: 'path', 'data-testid': `path-${i}`, 'data-product': p.product === null ? '' : String(p.product) });
      const symbols = p.edges.slice().reverse().map((e) => `(${e.symbol})`).join(' · ');
      const locals = p.edges.slice().reverse().map((e) => fmtAny(e.local)).join(' · ');
      li.append(el('div', {}, p.nodes.join(' → ')), el('div', { class: 'hint' }, `${symbols} = ${locals}`), el('div', {}, 'product = '));
      li.lastElementChild!.append(el('b', { class: 'product' }, fmtAny(p.product)));
      li.addEventListener('click', () => {
        for (const other of Array.from(list.children)) other.classList.toggle('active', other === li);
        void drawGraph(p).catch(showError);
      });
      list.append(li);
    });
    const sum = el('p', { 'data-testid': 'paths-sum', 'data-sum': report.sum === null ? '' : String(report.sum), 'data-tape': String(report.tape) });
    sum.textContent = `${report.paths.length} path${report.paths.length === 1 ? '' : 's'} from ${name} to ${report.output}: sum of the products ${fmtAny(report.sum)}; the tape's ∂${report.output}/∂${name} = ${fmtAny(report.tape)} (the tape visits each of its ${report.tapeEdgeVisits} edges once)`;
    out.append(list, sum);
    const all = report.paths.flatMap((p) => p.tensors);
    void drawGraph(Array.from(new Set(all))).catch(showError);
    $<HTMLSelectElement>('deriv-var').value = name;
  } catch (e) {
    out.append(el('p', { class: 'error' }, message(e)));
  }
}

function checkFormula(): void {
  const out = $('deriv-result');
  out.replaceChildren();
  if (!state) return;
  const s = state;
  try {
    const name = $<HTMLSelectElement>('deriv-var').value;
    const formula = parse($<HTMLInputElement>('deriv-formula').value);
    const f = (p: Record<string, Tensor>): Tensor => evaluateTensor(s.program, p);
    const hand = { [name]: (p: Record<string, number>) => evaluateNumber(formula, p, s.program) };
    const report = checkDerivation(f, hand, { at: s.values, fixed: [...s.constants].filter((c) => c in s.values), points: 3 });
    const check = report.get(name)!;
    const head = el('p');
    head.append(`∂${s.output.name}/∂${name}: `, el('span', { class: `diagnosis ${check.diagnosis}`, 'data-testid': 'deriv-diagnosis' }, check.diagnosis), ` — ${check.agreed}/${check.points} points agree`);
    out.append(head);
    if (check.diagnosis !== 'ok') out.append(el('p', { 'data-testid': 'deriv-explanation' }, check.explanation));
    out.append(el('pre', {}, report.toString()));
  } catch (e) {
    out.append(el('p', { class: 'error', 'data-testid': 'deriv-error' }, message(e)));
  }
}

async function trainingStep(): Promise<void> {
  const out = $('step-result');
  out.replaceChildren();
  if (!state) return;
  try {
    const lr = Number($<HTMLInputElement>('lr').value);
    const params = Object.values(state.inputs).filter((t) => t.requiresGrad);
    const deltaNames = state.preset === 'custom' ? {} : PRESETS[state.preset].deltaNames;
    const table = stepTable(state.output, params, { lr, deltaNames: Object.fromEntries(Object.entries(deltaNames).filter(([k]) => state!.program.assigned.includes(k))) });
    const t = el('table', { 'data-testid': 'step-table' });
    t.append(el('thead'));
    t.tHead!.innerHTML = '<tr><th>weight</th><th>old</th><th>∂E/∂w</th><th>change</th><th>new</th></tr>';
    const body = el('tbody');
    for (const p of table.params) {
      const tr = el('tr', { 'data-testid': `step-${p.name}`, 'data-updated': String(p.updated) });
      tr.append(el('td', {}, p.name), el('td', {}, p.value.toFixed(4)), el('td', {}, fmt(p.grad)), el('td', {}, fmt(p.change)), el('td', { class: 'updated' }, p.updated.toFixed(4)));
      body.append(tr);
    }
    t.append(body);
    out.append(el('p', {}, `E = ${fmt(table.loss)} before the step; ${table.convention}`), t, el('pre', { 'data-testid': 'step-text' }, table.toText()));
    // the new weights become the values, and the graph is redrawn at them
    const values = { ...state.values };
    for (const p of table.params) values[p.name] = p.updated;
    $<HTMLInputElement>('values').value = Object.entries(values).map(([k, v]) => `${k} = ${Number(v.toPrecision(12))}`).join(', ');
    await refresh(false);
  } catch (e) {
    out.append(el('p', { class: 'error' }, message(e)));
  }
}

function showError(e: unknown): void {
  $('error').textContent = message(e);
}

async function refresh(clearStep = true): Promise<void> {
  $('error').textContent = '';
  if (clearStep) $('step-result').replaceChildren();
  $('paths').replaceChildren();
  $('deriv-result').replaceChildren();
  try {
    const preset = state?.preset;
    state = build();
    if (preset === 'custom') state.preset = 'custom';
    showNodes();
    showVariables();
    await drawGraph();
  } catch (e) {
    showError(e);
  }
}

function loadPreset(name: PresetName): void {
  const p = PRESETS[name];
  $<HTMLTextAreaElement>('program').value = p.program;
  $<HTMLInputElement>('values').value = p.values;
  $<HTMLInputElement>('constants').value = p.constants;
  $<HTMLInputElement>('deriv-formula').value = p.formula;
  state = null;
  void refresh().then(() => {
    $<HTMLSelectElement>('deriv-var').value = p.derivVar;
  });
}

$('preset').addEventListener('change', () => loadPreset(currentPreset()));
$('run').addEventListener('click', () => {
  if (state && $<HTMLTextAreaElement>('program').value !== PRESETS[state.preset === 'custom' ? 'lecture' : state.preset].program) state.preset = 'custom';
  void refresh();
});
$('deriv-check').addEventListener('click', checkFormula);
$('step').addEventListener('click', () => void trainingStep());
$('smoke').addEventListener('click', () => {
  $('smoke-result').textContent = 'running…';
  setTimeout(() => {
    $('smoke-result').textContent = JSON.stringify(runSmokeCheck(), null, 1);
  }, 0);
});
loadPreset('lecture');
