import type { DataSource } from 'typeorm';
import { openServiceDatabase, retryingDeadlocks } from '../../kernel/datasource';
import { Role } from '../../kernel/identity';
import { JOINT_MIGRATIONS } from '../../subgraphs/joint';
import { AuditEventRow } from '../../subgraphs/joint/audit/entities';
import { JOINT_ENTITIES } from '../../subgraphs/joint/entities';
import { JointStore } from '../../subgraphs/joint/store';
import { testDatabases } from '../support/databases';

/**
 * Two transactions that take the same rows in opposite orders: on MySQL the database aborts one of
 * them to break the deadlock (ER_LOCK_DEADLOCK), and the request it served failed with it. The
 * write-back's submission and a delivery's marks met that way in the benchmark on MySQL (17
 * submissions of 1,000 refused); both now run again when aborted (`retryDeadlocks`, JointStore).
 * On SQLite transactions run one at a time (kernel/datasource.ts), so they never deadlock: there the
 * crossed transactions prove nothing of the retry, and the joint service's store is tested with the
 * error MySQL sends (below, on every database).
 */
describe.each(testDatabases())('deadlocked transactions ($label)', (database) => {
  let dataSource: DataSource;

  beforeAll(async () => {
    ({ dataSource } = await openServiceDatabase(database.db, 'deadlocks', { entities: [], migrations: [] }));
    await dataSource.query('CREATE TABLE IF NOT EXISTS d (k VARCHAR(10) PRIMARY KEY, n INT NOT NULL)');
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

/** What MySQL's driver throws when InnoDB picks a transaction to abort (TypeORM keeps it as driverError). */
const deadlock = () => Object.assign(new Error('Deadlock found when trying to get lock'), { code: 'ER_LOCK_DEADLOCK' });

describe.each(testDatabases())("the joint service's transactions a deadlock aborted ($label)", (database) => {
  let dataSource: DataSource;
  let store: JointStore;
  const who = { subject: 'tester', role: Role.COORDINATOR, department: 'market' };
  const events = () => dataSource.manager.countBy(AuditEventRow, { action: 'test.deadlock' });

  beforeAll(async () => {
    ({ dataSource } = await openServiceDatabase(database.db, 'joint', {
      entities: JOINT_ENTITIES,
      migrations: JOINT_MIGRATIONS,
    }));
    store = new JointStore(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop(['joint']);
  });

  /** A transaction that appends to the audit trail, then is aborted by a deadlock its first `aborts` times. */
  const work = (aborts: number) => {
    let runs = 0;
    return {
      runs: () => runs,
      step: async (tx: JointStore) => {
        runs++;
        await tx.audit.append(who, { action: 'test.deadlock', entityId: 'x', details: {} });
        if (runs <= aborts) throw deadlock();
      },
    };
  };

  it('R24: with retryDeadlocks, a transaction aborted once runs again and its work is stored once', async () => {
    const before = await events();
    const w = work(1);
    await store.transaction(w.step, { retryDeadlocks: true });
    expect(w.runs()).toBe(2);
    expect((await events()) - before).toBe(1);
  });

  it('R24: without it, or aborted every time, the error reaches the caller and nothing is stored', async () => {
    const before = await events();
    const once = work(1);
    await expect(store.transaction(once.step)).rejects.toMatchObject({ code: 'ER_LOCK_DEADLOCK' });
    expect(once.runs()).toBe(1);
    const always = work(99);
    await expect(store.transaction(always.step, { retryDeadlocks: true })).rejects.toMatchObject({
      code: 'ER_LOCK_DEADLOCK',
    });
    expect(always.runs()).toBe(4);
    expect(await events()).toBe(before);
  });

  it('R24: any other error is not run again (a lock wait that timed out already waited 50 s)', async () => {
    const w = { runs: 0 };
    const timeout = Object.assign(new Error('Lock wait timeout exceeded'), { code: 'ER_LOCK_WAIT_TIMEOUT' });
    await expect(
      store.transaction(
        async () => {
          w.runs++;
          throw timeout;
        },
        { retryDeadlocks: true },
      ),
    ).rejects.toBe(timeout);
    expect(w.runs).toBe(1);
  });
});
