// Prints the lecture's backprop table, computed by memograd's tape.
import { checkDeltaRule, checkLectureSums, DELTA_RULE, INITIAL_WEIGHTS, LECTURE_FIGURES, LECTURE_SUM_ADDENDS, runLecture, WEIGHT_NAMES } from './lecture.ts';

const r = runLecture();
const f4 = (v: number, digits = 4): string => (v < 0 ? '' : ' ') + v.toFixed(digits);
const rows = (title: string, entries: [string, string, number, number | undefined][], digits = 4): void => {
  console.log(`\n${title}`);
  console.log('  quantity   formula                          memograd   lecture');
  for (const [name, formula, ours, theirs] of entries) {
    const shown = Number(ours.toFixed(digits));
    const places = theirs === undefined ? 0 : (theirs.toString().split('.')[1] ?? '').length;
    const differs = theirs !== undefined && Math.abs(Number(ours.toFixed(places)) - theirs) > 1e-12;
    void shown;
    console.log(`  ${name.padEnd(10)} ${formula.padEnd(32)} ${f4(ours, digits)}   ${theirs === undefined ? '' : f4(theirs, digits)}${differs ? '  <- see note' : ''}`);
  }
};

console.log('memograd: the backprop lecture, one step (x1 = 0.35, x2 = 0.9, target 0.5, learning rate 1, sigmoid units)');
rows('Forward pass', [
  ['a1', 'w13*x1 + w23*x2', r.forward.a1, LECTURE_FIGURES.forward.a1],
  ['y3', 'sigmoid(a1)', r.forward.y3, LECTURE_FIGURES.forward.y3],
  ['a2', 'w14*x1 + w24*x2', r.forward.a2, LECTURE_FIGURES.forward.a2],
  ['y4', 'sigmoid(a2)', r.forward.y4, LECTURE_FIGURES.forward.y4],
  ['a3', 'w35*y3 + w45*y4', r.forward.a3, LECTURE_FIGURES.forward.a3],
  ['y5', 'sigmoid(a3)', r.forward.y5, LECTURE_FIGURES.forward.y5],
  ['error', 'target - y5', r.forward.error, LECTURE_FIGURES.forward.error],
  ['loss', '0.5 (target - y5)^2', r.forward.loss, undefined],
]);
rows('Delta terms (delta_j = -dLoss/d a_j, from the tape)', [
  ['delta5', 'y5 (1 - y5)(t - y5)', r.deltas.delta5, LECTURE_FIGURES.deltas.delta5],
  ['delta3', 'y3 (1 - y3) w35 delta5', r.deltas.delta3, LECTURE_FIGURES.deltas.delta3],
  ['delta4', 'y4 (1 - y4) w45 delta5', r.deltas.delta4, LECTURE_FIGURES.deltas.delta4],
], 5);
console.log('\nGradients and updated weights (w_new = w - lr * dLoss/dw = w + lr * delta_j * o_i)');
console.log('  weight   old      dLoss/dw    new       lecture');
for (const k of WEIGHT_NAMES) {
  const lecture = LECTURE_FIGURES.updated[k];
  const note = Math.abs(Number(r.updated[k].toFixed(4)) - lecture) > 1e-12 ? '  <- see note' : '';
  console.log(`  ${k.padEnd(6)} ${f4(INITIAL_WEIGHTS[k])}  ${r.gradients[k].toFixed(6).padStart(10)}  ${f4(r.updated[k])}   ${f4(lecture)}${note}`);
}
const rule = checkDeltaRule();
console.log(`\ncheckDerivation: the lecture's delta rule dE/dw_ij = -δ_j·o_i, with δ5 = y5(1-y5)(t-y5), δ3 = y3(1-y3)·w35·δ5, δ4 = y4(1-y4)·w45·δ5`);
console.log(`  ${rule.toString().split('\n')[0]}`);
for (const c of rule.checks) {
  console.log(`  dE/d${c.name.padEnd(4)} = ${DELTA_RULE[c.name as keyof typeof DELTA_RULE].formula.padEnd(7)}  ${c.diagnosis.padEnd(5)} ${c.agreed}/${c.points} points agree (at the lecture's point: tape ${c.expected[0]![0]!.toFixed(6)}, formula ${c.got[0]![0]!.toFixed(6)})`);
}
const sums = checkLectureSums();
console.log(`\ncheckDerivation: the step each of the lecture's sums "w new = Δw + w old" adds, read as dE/dw = -Δw (lr 1; rtol 0.05 for its rounding)`);
for (const c of sums.checks) {
  const addend = LECTURE_SUM_ADDENDS[c.name as keyof typeof LECTURE_SUM_ADDENDS];
  console.log(`  ${c.name}  adds ${f4(addend, 5)}  tape step ${f4(-c.expected[0]![0]!, 5)}  ${c.diagnosis}${c.diagnosis === 'ok' ? '' : `: ${c.explanation.split(':')[0]}`}`);
}
const w23 = sums.get('w23')!;
const d23 = -w23.expected[0]![0]!;
const written = LECTURE_SUM_ADDENDS.w23;
const old23 = INITIAL_WEIGHTS.w23;
const meant = old23 - written;
console.log(`
Notes on the lecture's rounded figures:
  - w24 new is ${r.updated.w24.toFixed(4)}: ${INITIAL_WEIGHTS.w24} - ${-LECTURE_SUM_ADDENDS.w24} = ${(INITIAL_WEIGHTS.w24 + LECTURE_SUM_ADDENDS.w24).toFixed(4)} (the tape's step is ${(-sums.get('w24')!.expected[0]![0]!).toFixed(5)}); the lecture's 0.5962 swaps the last two digits.
  - w23 new is ${r.updated.w23.toFixed(4)}: the lecture writes Δw23 = -${written} (the tape's step is ${d23.toFixed(5)}), then
    "w23 new = ${written} + ${old23} = 0.797": the minus sign is dropped in the written sum (${old23} + ${written} would be ${(old23 + written).toFixed(4)};
    checkDerivation calls the +${written} '${w23.diagnosis}'), while 0.797 is ${old23} - ${written} = ${meant.toFixed(4)} cut to three decimals (${meant.toFixed(3)} rounded).
  - w14 new is ${r.updated.w14.toFixed(4)} and a3 is ${r.forward.a3.toFixed(4)}: the lecture rounds to 0.397 and 0.801.
  - delta5 is ${r.deltas.delta5.toFixed(5)}: the lecture computes it from y5 rounded to 0.69 and gets -0.0406, which
    moves w35 and w45 by one in the last digit (${r.updated.w35.toFixed(4)} and ${r.updated.w45.toFixed(4)} here, 0.2724 and 0.8731 there).
  - 'lecture' values differing only past the digits the lecture wrote are not flagged (y3 0.68, y5 0.69, a3 0.801).`);
