/**
 * Coverage by construction: every export of a package index, and every public member of the
 * classes it exports, must have a fuzz entry (FuzzEntry.covers), or be listed, with a reason, in
 * that package's exclusion list.
 */
import type { FuzzEntry } from './harness.ts';

/** Names `${pkg}:${export}` of every export, and `${Class}#${member}` of each exported class's public prototype members. */
export function publicSurface(pkg: string, mod: Record<string, unknown>, classes: Record<string, unknown> = {}): string[] {
  const names = Object.keys(mod).map((k) => `${pkg}:${k}`);
  for (const [cname, cls] of Object.entries(classes)) {
    const proto = (cls as { prototype: object }).prototype;
    for (const m of Object.getOwnPropertyNames(proto)) {
      if (m === 'constructor') continue;
      const d = Object.getOwnPropertyDescriptor(proto, m)!;
      if (d.set) names.push(`${cname}#${m}=`);
      names.push(`${cname}#${m}`);
    }
  }
  return names;
}

/** What is public but has no entry and no excuse. */
export function uncovered(surface: readonly string[], entries: readonly FuzzEntry[], excluded: Readonly<Record<string, string>>): string[] {
  const covered = new Set(entries.flatMap((e) => e.covers));
  return surface.filter((n) => !covered.has(n) && !(n in excluded));
}
