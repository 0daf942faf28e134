import type { DataSource } from 'typeorm';
import { openServiceDatabase, retryingDeadlocks } from '../../kernel/datasource';
import { testDatabases } from '../support/databases';

/**
 * Two transactions that take the same rows in opposite orders: on MySQL the database aborts one of
 * them to break the deadlock (ER_LOCK_DEADLOCK), and the request it served failed with it. The
 * write-back's submission and a delivery's marks met that way in the benchmark on MySQL (17
 * submissions of 1,000 refused); both now run again when aborted (`retryDeadlocks`, JointStore).
 * On SQLite transactions run one at a time (kernel/datasource.ts), so they never deadlock.
 */
describe.each(testDatabases())('deadlocked transactions ($label)', (database) => {
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ dataSource } = await openServiceDatabase(database.db, 'deadlocks', { entities: [], migrations: [] }));
    await dataSource.query('CREATE TABLE d (k VARCHAR(10) PRIMARY KEY, n INT NOT NULL)');
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop(['deadlocks']);
  });
  beforeEach(async () => {
    await dataSource.query('DELETE FROM d');
    await dataSource.query("INSERT INTO d (k, n) VALUES ('a', 0), ('b', 0)");
  });

  /**
   * Two transactions, one adding 1 to a then b, the other to b then a; each takes its second row
   * once the other holds its first (or after 300 ms: on SQLite the other cannot start meanwhile).
   */
  async function crossed(retry: boolean): Promise<PromiseSettledResult<void>[]> {
    let holding = 0;
    const bothHold = async () => {
      holding++;
      for (const deadline = Date.now() + 300; holding < 2 && Date.now() < deadline;)
        await new Promise((resolve) => setTimeout(resolve, 5));
    };
    const transaction = (first: string, second: string) => () =>
      dataSource.transaction(async (tx) => {
        await tx.query('UPDATE d SET n = n + 1 WHERE k = ?', [first]);
        await bothHold();
        await tx.query('UPDATE d SET n = n + 1 WHERE k = ?', [second]);
      });
    const run = (work: () => Promise<void>) => (retry ? retryingDeadlocks(work) : work());
    return Promise.allSettled([run(transaction('a', 'b')), run(transaction('b', 'a'))]);
  }

  const counts = async () =>
    ((await dataSource.query('SELECT k, n FROM d ORDER BY k')) as Array<{ k: string; n: number }>).map((r) =>
      Number(r.n),
    );

  it('R24: a transaction aborted to break a deadlock runs again, and both do all their work once', async () => {
    const outcomes = await crossed(true);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
    expect(await counts()).toEqual([2, 2]);
  });

  if (database.label === 'mysql')
    it('R24: without running it again, MySQL aborts one of them (what the retry is for)', async () => {
      const outcomes = await crossed(false);
      const failed = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(failed).toHaveLength(1);
      const error = failed[0]!.reason as { driverError?: { code?: string }; code?: string };
      expect(error.driverError?.code ?? error.code).toBe('ER_LOCK_DEADLOCK');
      expect(await counts()).toEqual([1, 1]);
    });
});
