/**
 * Standard output without assuming Node: `fit()`, its progress display and the callbacks' messages
 * run in browsers and workers too, where there is no `process`. Both helpers look `process` up at
 * each call (tests replace `process.stdout.write`).
 */

interface StdoutLike {
  isTTY?: boolean;
  write?: (s: string) => unknown;
}

function stdout(): StdoutLike | undefined {
  const proc = typeof process !== 'undefined' ? (process as { stdout?: StdoutLike }) : undefined;
  return proc?.stdout ?? undefined;
}

/** Whether standard output is a terminal: `process.stdout.isTTY` in Node, false elsewhere. */
export function stdoutIsTTY(): boolean {
  return Boolean(stdout()?.isTTY);
}

/**
 * Writes `s` to `process.stdout` when it exists; otherwise to `console.log`, one call per line (the
 * trailing newline dropped, since console.log adds its own; `\r` redraws only happen on a TTY).
 */
export function writeStdout(s: string): void {
  const out = stdout();
  if (out !== undefined && typeof out.write === 'function') {
    out.write(s);
    return;
  }
  if (typeof console === 'undefined') return;
  console.log(s.endsWith('\n') ? s.slice(0, -1) : s);
}
