// CGPA + profile score -> package (LPA): linear regression with MSE and SGD on data from a known rule.
//   node --conditions=source --import tsx examples/regression/main.ts [--verbose 0|1|2]
import { parseArgs } from 'node:util';
import { TRUE_RULE, runRegression } from './regression.ts';

const { values } = parseArgs({ options: { verbose: { type: 'string', default: '2' }, epochs: { type: 'string' } } });
const r = runRegression({ verbose: Number(values.verbose) as 0 | 1 | 2, epochs: values.epochs === undefined ? undefined : Number(values.epochs) });
const row = (name: string, c: { cgpa: number; profileScore: number; intercept: number }): string =>
  `  ${name.padEnd(22)} ${c.cgpa.toFixed(4).padStart(8)} ${c.profileScore.toFixed(4).padStart(10)} ${c.intercept.toFixed(4).padStart(10)}`;
console.log('\npackage (LPA) = a · cgpa + b · profile_score + c');
console.log('                              a          b          c');
console.log(row('true rule', TRUE_RULE));
console.log(row('least squares', r.leastSquares));
console.log(row('Linear(2, 1) + SGD', r.learned));
console.log(`\nvalidation MSE ${r.finalValMse.toFixed(4)} LPA² (the noise variance, 0.09, is the floor)`);
