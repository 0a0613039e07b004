// Writes a generated source file, or with --check fails when the committed one is stale.
import { readFileSync, writeFileSync } from 'node:fs';

export function writeOrCheck(target: string, text: string, what: string): void {
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(target, 'utf8');
    } catch {}
    if (old !== text) {
      console.error(`${target} is stale; rerun without --check`);
      process.exit(1);
    }
    console.log(`up to date: ${target}`);
  } else {
    writeFileSync(target, text);
    console.log(`wrote ${target} (${what})`);
  }
}
