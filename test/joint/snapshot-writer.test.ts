import { inflateRawSync } from 'node:zlib';
import { canonicalOrder, snapshotHash, type SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import { STRATA } from '../../subgraphs/joint/draw/strata';
import { SnapshotWriter } from '../../subgraphs/joint/tasks/snapshot';

/** 45,000 targets (three stored chunks), keys of letters, digits and dashes, strata in turn. */
function roster(): SnapshotEntry[] {
  return canonicalOrder(Array.from({ length: 45_000 }, (_, i) => [`91310000${String((i * 7919) % 1_000_000).padStart(9, '0')}${'ABX'[i % 3]}`, STRATA[i % 4]!] as const));
}

function write(entries: readonly SnapshotEntry[]) {
  const writer = new SnapshotWriter('market');
  for (const [key, stratum] of entries) writer.add(key, stratum, key, '310115', 'ENTERPRISE', 'F52');
  return writer.finish();
}

const storedKeys = (chunks: Buffer[]) => chunks.flatMap((c) => inflateRawSync(c).toString('utf8').split('\n').filter(Boolean).map((line) => line.split('\t')[0]!));

describe('the snapshot written as the export arrives', () => {
  it('R9: rows in id order are hashed and stored as they come: the hash of the canonical form, the lines in canonical order', () => {
    const entries = roster();
    const stored = write(entries);
    expect(stored.size).toBe(entries.length);
    expect(stored.hash).toBe(snapshotHash(entries));
    expect(stored.chunks.length).toBe(3);
    expect(storedKeys(stored.chunks)).toEqual(entries.map(([key]) => key));
  });

  it('R9: rows out of order (another collation) are put in canonical order: the same hash and lines as in order', () => {
    const entries = roster();
    const shuffled = [...entries].reverse();
    [shuffled[10], shuffled[30_000]] = [shuffled[30_000]!, shuffled[10]!];
    const stored = write(shuffled);
    expect(stored.hash).toBe(snapshotHash(entries));
    expect(storedKeys(stored.chunks)).toEqual(entries.map(([key]) => key));
  });

  it('R9: a department that lists a target twice breaks the contract, next to each other or far apart', () => {
    const entries = roster();
    expect(() => write([...entries.slice(0, 100), entries[99]!, ...entries.slice(100)])).toThrow(/broke the department contract: its export lists \S+ twice/);
    const far = [...entries].reverse();
    far.push(far[5]!);
    let error: unknown;
    try {
      write(far);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ message: expect.stringMatching(/lists \S+ twice/), extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'market' } });
  });
});
