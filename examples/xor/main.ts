// XOR with a 2-8-1 tanh network: node --conditions=source --import tsx examples/xor/main.ts
import { runXor } from './xor.ts';

const r = runXor({ verbose: 0 });
console.log(`XOR 2-8-1 (tanh, BCE on logits, Adam lr 0.05, full batch): loss ${r.loss.toPrecision(3)} after ${r.epochs} epochs, accuracy ${r.accuracy}`);
const inputs = ['0 0', '0 1', '1 0', '1 1'];
for (let i = 0; i < 4; i++) console.log(`  ${inputs[i]} -> ${r.probabilities[i]!.toFixed(4)}`);
