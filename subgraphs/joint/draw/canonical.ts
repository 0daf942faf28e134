import { createHash } from 'node:crypto';
import type { Stratum } from './strata';

/**
 * The canonical form of a snapshot (R9): one line per eligible target, `<key>\t<stratum>\n`,
 * sorted by key in code-unit order (keys are ASCII: USCCs or ids of letters, digits and dashes).
 * Its SHA-256, in lowercase hex, is the snapshot hash published with the draw (README.md, section 2).
 */
export type SnapshotEntry = readonly [key: string, stratum: Stratum];

export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Sorts entries into canonical order; refuses duplicate keys (a snapshot lists a target once). */
export function canonicalOrder(entries: SnapshotEntry[]): SnapshotEntry[] {
  const sorted = [...entries].sort((x, y) => compareKeys(x[0], y[0]));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]![0] === sorted[i - 1]![0]) throw new Error(`Snapshot lists target ${sorted[i]![0]} twice`);
  }
  return sorted;
}

/** One target's line of the canonical form. */
export function canonicalLine(key: string, stratum: Stratum): string {
  return `${key}\t${stratum}\n`;
}

/** SHA-256 of the canonical text of entries already in canonical order, streamed in chunks. */
export function snapshotHash(sortedEntries: readonly SnapshotEntry[]): string {
  const hash = createHash('sha256');
  const CHUNK = 4096;
  for (let i = 0; i < sortedEntries.length; i += CHUNK) {
    let text = '';
    const end = Math.min(sortedEntries.length, i + CHUNK);
    for (let j = i; j < end; j++) text += canonicalLine(sortedEntries[j]![0], sortedEntries[j]![1]);
    hash.update(text, 'utf8');
  }
  return hash.digest('hex');
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
