// Command-line number parsing shared by the MNIST examples (mnist-mlp, mnist-cnn).

/** `--name`'s value as a non-negative integer, or undefined when the flag is absent. */
export function int(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
  return n;
}

/** `--verbose`'s value: 0 (silent), 1 (progress bar) or 2 (one line per epoch); undefined when absent. */
export function verbosity(v: string | undefined): 0 | 1 | 2 | undefined {
  const n = int('verbose', v);
  if (n !== undefined && n > 2) throw new Error('--verbose must be 0, 1 or 2');
  return n as 0 | 1 | 2 | undefined;
}
