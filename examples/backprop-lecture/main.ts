// Prints the lecture's backprop table, computed by memograd's tape.
import { INITIAL_WEIGHTS, LECTURE_FIGURES, runLecture, WEIGHT_NAMES } from './lecture.ts';

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
console.log(`
Notes on the lecture's rounded figures:
  - w24 new is ${r.updated.w24.toFixed(4)}: 0.6 - 0.00736 = 0.5926; the lecture's 0.5962 swaps the last two digits.
  - w23 new is ${r.updated.w23.toFixed(4)}: the lecture adds +0.0023 instead of -0.0023 and rounds to 0.797.
  - w14 new is ${r.updated.w14.toFixed(4)} and a3 is ${r.forward.a3.toFixed(4)}: the lecture rounds to 0.397 and 0.801.
  - delta5 is ${r.deltas.delta5.toFixed(5)}: the lecture computes it from y5 rounded to 0.69 and gets -0.0406, which
    moves w35 and w45 by one in the last digit (${r.updated.w35.toFixed(4)} and ${r.updated.w45.toFixed(4)} here, 0.2724 and 0.8731 there).
  - 'lecture' values differing only past the digits the lecture wrote are not flagged (y3 0.68, y5 0.69, a3 0.801).`);
