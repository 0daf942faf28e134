import { JOINT_MIGRATIONS } from '../../subgraphs/joint';
import { canonicalOrder, snapshotHash, type SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import type { Stratum, StratumRatios } from '../../subgraphs/joint/draw/strata';
import { JOINT_ENTITIES } from '../../subgraphs/joint/entities';
import { SnapshotWriter } from '../../subgraphs/joint/tasks/snapshot';
import { TaskRepository } from '../../subgraphs/joint/tasks/task-repository';
import { openServiceDatabase } from '../../kernel/datasource';
import { testDatabases } from '../support/databases';
import { biasedChooser, drawFrequencies, fairnessPValues } from '../support/fairness';

const RATIOS: StratumRatios = { HIGH: 3000, ELEVATED: 1000, GENERAL: 300, LOW: 100 };

/** A fixed roster of 400 targets in four strata, with USCC-shaped keys. */
function roster(): SnapshotEntry[] {
  const sizes: Array<[Stratum, number]> = [
    ['HIGH', 20],
    ['ELEVATED', 60],
    ['GENERAL', 120],
    ['LOW', 200],
  ];
  const out: SnapshotEntry[] = [];
  let i = 0;
  for (const [stratum, n] of sizes)
    for (let k = 0; k < n; k++) out.push([`9131011${String((i++ * 7919) % 100000).padStart(10, '0')}X`, stratum]);
  return canonicalOrder(out);
}

describe.each(testDatabases())('fairness of draws from a snapshot stored in the database ($label)', (database) => {
  let entries: SnapshotEntry[];
  let hash: string;

  beforeAll(async () => {
    const { dataSource } = await openServiceDatabase(database.db, 'joint', {
      entities: JOINT_ENTITIES,
      migrations: JOINT_MIGRATIONS,
    });
    try {
      const stored = roster();
      const writer = new SnapshotWriter('market');
      for (const [key, stratum] of stored) writer.add(key, stratum, key, '310115', 'ENTERPRISE', 'F52');
      await dataSource.transaction((tx) => new TaskRepository(tx).storeSnapshot('fairness-task', writer.finish()));
      const loaded = await new TaskRepository(dataSource.manager).loadSnapshot('fairness-task');
      entries = loaded.entries();
      hash = loaded.hash;
      expect(hash).toBe(snapshotHash(stored)); // R9: what is read back is what was hashed
      expect(stored.map((_, i) => loaded.target(i).uscc)).toEqual(stored.map(([k]) => k));
    } finally {
      await dataSource.destroy();
      await database.drop(['joint']);
    }
  });

  it('R16: over 1,000 seeded draws every target of a stratum is drawn equally often (chi-square, p > 0.01)', () => {
    const p = fairnessPValues(entries, drawFrequencies(entries, hash, RATIOS, 1000));
    for (const stratum of Object.keys(p) as Stratum[]) expect([stratum, p[stratum] > 0.01]).toEqual([stratum, true]);
  });

  it('R16: the same test rejects a deliberately biased drawer', () => {
    const p = fairnessPValues(entries, drawFrequencies(entries, hash, RATIOS, 1000, biasedChooser));
    expect(Math.min(...Object.values(p))).toBeLessThan(0.01);
  });
});
