// The coursework companion: check hand-derived backprop formulas for the assignment networks,
// see what checkDerivation says about the classic mistakes, the chain-rule paths, the softmax Jacobian.
import { blueOrange, check, mistakes, network1, network2, POINTS, softmaxJacobian, sqrtSlip, type Network } from './coursework.ts';

const rule = (title: string): void => {
  console.log(`\n${'='.repeat(100)}\n${title}\n${'='.repeat(100)}`);
};
const fmt = (v: number, w = 11): string => (Math.abs(v) < 5e-13 ? 0 : v).toFixed(6).padStart(w);

console.log('memograd coursework: is my backprop derivation right, and if not, what did I get wrong?');
console.log(`Every formula below is a TypeScript function of the named inputs; checkDerivation evaluates it and the`);
console.log(`tape's gradient at the given point and at ${POINTS} seeded random points, in float64, and compares them.`);
console.log('Deltas: δ = ∂L/∂z (derivative of the loss w.r.t. a unit\'s weighted input), so ∂L/∂w = δ · (what w multiplies).');

function showNetwork(net: Network): void {
  rule(net.title);
  console.log('Forward pass:');
  for (const e of net.equations) console.log(`  ${e}`);
  console.log('Backward pass (the student\'s simplified formulas):');
  for (const d of net.deltas) console.log(`  ${d}`);
  const report = check(net);
  console.log(`\n${report.toString().split('\n')[0]}`);
  const point = Object.entries(net.at).map(([k, v]) => `${k} = ${v}`);
  for (let i = 0; i < point.length; i += 7) console.log(`  ${i === 0 ? 'at:' : '   '} ${point.slice(i, i + 7).join(', ')}`);
  console.log(`  ${'∂L/∂'.padEnd(10)}${'= hand formula'.padEnd(34)}${'tape (at)'.padStart(11)}${'hand (at)'.padStart(11)}  diagnosis`);
  for (const fm of net.formulas) {
    const c = report.get(fm.name)!;
    console.log(`  ${fm.name.padEnd(10)}= ${fm.text.padEnd(32)}${fmt(c.expected[0]![0]!)}${fmt(c.got[0]![0]!)}  ${c.diagnosis} (${c.agreed}/${c.points} points)`);
  }
  if (net.equations.some((e) => e.includes('relu'))) {
    console.log('  (At a random point where a ReLU unit is off, z1_i < 0, relu\'(z1_i) = 0: the tape and the formulas');
    console.log('   behind that unit are both 0 there. Every other point checks them for real.)');
  }
}

showNetwork(network1('squared'));
showNetwork(network1('cross-entropy'));
showNetwork(network2());

rule('The classic mistakes, planted one at a time and diagnosed by checkDerivation');
for (const group of mistakes()) {
  for (const m of group.mistakes) {
    console.log(`\n--- ${group.net.title}`);
    console.log(`--- mistake: ${m.title}`);
    console.log(`--- the student writes ∂L/∂${m.formula.name} = ${m.formula.text}\n`);
    console.log(check(group.net, [m.formula]).toString());
  }
}

rule('The chain-rule paths of the lecture\'s slide: θ1_11 reaches J along the blue and the orange path');
console.log('Network: x1, x2 → a2_1, a2_2 (sigmoid) → a3_1, a3_2 (sigmoid); J = 1/(2m) Σ (a3_i - y_i)² with m = 1,');
console.log('written J = ½(r1² + r2²), r_i = a3_i - y_i. θ1_11 feeds z2_1 → a2_1, and a2_1 feeds both output units:');
console.log('  blue path:   J ← a3_1 ← z3_1 ← a2_1 ← z2_1 ← θ1_11');
console.log('  orange path: J ← a3_2 ← z3_2 ← a2_1 ← z2_1 ← θ1_11');
console.log('chainPaths lists every path through the recorded graph, including the unnamed mul/add/square nodes the');
console.log('slide folds into one factor (∂z3_1/∂a2_1 = θ2_11 appears as dz3_1/dmul · dmul/da2_1 = 1 · θ2_11).\n');
const bo = blueOrange();
console.log(bo.report.toString());
console.log(`\nblue (via a3_1) ${fmt(bo.blue, 12)}  +  orange (via a3_2) ${fmt(bo.orange, 12)}  =  ${fmt(bo.blue + bo.orange, 12)}`);
console.log(`dJ/dθ1_11 from the tape:                                         ${fmt(bo.tape, 12)}`);

rule('Softmax of z = (1.1, 2.2, 0.2, -1.7) and its Jacobian');
const sm = softmaxJacobian();
console.log(`s = (${sm.s.map((v) => v.toFixed(3)).join(', ')})      the lecture: (0.224, 0.672, 0.091, 0.013)`);
console.log(`    (s_4 = ${sm.s[3]!.toFixed(5)}: the slide's 0.013 is cut to three decimals, not rounded)`);
console.log('\njacobian((z) => z.softmax(), z)  (the tape)          the lecture\'s table: s_i(1-s_i) on the diagonal, -s_i s_j off it');
for (let i = 0; i < 4; i++) {
  console.log(`  ${sm.tape[i]!.map((v) => fmt(v, 10)).join('')}      ${sm.lecture[i]!.map((v) => fmt(v, 10)).join('')}`);
}
console.log(`\nlargest difference between the two: ${sm.maxDiff.toExponential(2)}  (they agree)`);

rule('A slip in the notes (seed 004): z = sqrt(x² + y²), "∂z/∂x = 2x, ∂z/∂y = 2y"');
const slip = sqrtSlip();
console.log(slip.seed.toString());
console.log(`
What it means: 2x is the derivative of the inside, u = x² + y², only. The chain rule also needs the
derivative of the outer sqrt, ∂z/∂u = 1/(2 sqrt(u)) = 1/(2z), and that is the factor checkDerivation
names as missing: ∂z/∂x = 2x · 1/(2 sqrt(x² + y²)) = x / sqrt(x² + y²) (0.6 at x = 3, y = 4, not 6).
With x / sqrt(x² + y²) and y / sqrt(x² + y²) the check says: ${slip.fixed.checks.map((c) => `${c.name} ${c.diagnosis} (${c.agreed}/${c.points})`).join(', ')}.`);
