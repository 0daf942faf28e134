import type { DataSource } from 'typeorm';
import { openServiceDatabase, outsideOpenTransactions } from '../../kernel/datasource';
import { testDatabases } from '../support/databases';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Requests of one service run side by side and each may open a transaction. On SQLite, TypeORM
 * shares one connection among them: without care, two transactions nest inside each other and a
 * statement of another request joins the open transaction. These tests run on every database.
 */
describe.each(testDatabases())('transactions of requests running at once ($label)', (database) => {
  let dataSource: DataSource;
  const values = async () =>
    ((await dataSource.query('SELECT v FROM t ORDER BY v')) as Array<{ v: string }>).map((r) => r.v);

  beforeAll(async () => {
    ({ dataSource } = await openServiceDatabase(database.db, 'txtest', { entities: [], migrations: [] }));
    await dataSource.query('CREATE TABLE t (v VARCHAR(20) PRIMARY KEY)');
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop(['txtest']);
  });
  beforeEach(() => dataSource.query('DELETE FROM t'));

  it(
    'R24: a transaction that fails while another one is open ' + "takes none of the other's finished work with it",
    async () => {
      const first = dataSource.transaction(async (tx) => {
        await tx.query("INSERT INTO t (v) VALUES ('first')");
        await pause(20);
      });
      const second = dataSource.transaction(async (tx) => {
        await pause(5);
        await tx.query("INSERT INTO t (v) VALUES ('second')");
        await pause(40);
        throw new Error('refused');
      });
      await expect(first).resolves.toBeUndefined();
      await expect(second).rejects.toThrow('refused');
      expect(await values()).toEqual(['first']);
    },
  );

  it(
    "R24: a statement of another request sent while a transaction is open is not undone by that transaction's " +
      'rollback',
    async () => {
      const failing = dataSource.transaction(async (tx) => {
        await tx.query("INSERT INTO t (v) VALUES ('undone')");
        await pause(30);
        throw new Error('refused');
      });
      await pause(5);
      await dataSource.query("INSERT INTO t (v) VALUES ('outside')");
      await expect(failing).rejects.toThrow('refused');
      expect(await values()).toEqual(['outside']);
    },
  );

  it(
    'ten transactions at once each commit their own rows; a ' + 'transaction inside one of them is its savepoint',
    async () => {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          dataSource.transaction(async (tx) => {
            await tx.query(`INSERT INTO t (v) VALUES ('r${i}')`);
            await pause(i % 3);
            await tx.transaction(async (inner) => inner.query(`INSERT INTO t (v) VALUES ('s${i}')`));
          }),
        ),
      );
      expect((await values()).length).toBe(20);
    },
  );

  it(
    'work on the connection directly waits for the open transaction; a transaction begun inside another is its ' +
      'savepoint',
    async () => {
      const order: string[] = [];
      const tx = dataSource.transaction(async (m) => {
        await m.query("INSERT INTO t (v) VALUES ('tx')");
        await pause(20);
        order.push('tx done');
      });
      await pause(5);
      await outsideOpenTransactions(dataSource, () => order.push('direct'));
      await tx;
      expect(order).toEqual(database.label === 'sqlite' ? ['tx done', 'direct'] : ['direct', 'tx done']);
      // The same request opening a transaction again (the data source's, not the manager's): nested, not queued behind
      // itself.
      await expect(
        dataSource.transaction(async (outer) => {
          await outer.query("INSERT INTO t (v) VALUES ('outer')");
          await dataSource.transaction((inner) => inner.query("INSERT INTO t (v) VALUES ('inner')"));
        }),
      ).resolves.toBeUndefined();
      expect(await values()).toEqual(['inner', 'outer', 'tx']);
    },
  );

  it(
    'on SQLite a transaction begun around the gate (as save() on the root manager would) is refused, not left ' +
      'open',
    async () => {
      const runner = dataSource.createQueryRunner();
      if (database.label === 'sqlite')
        await expect(runner.startTransaction()).rejects.toThrow(/dataSource\.transaction/);
      else {
        await runner.startTransaction();
        await runner.rollbackTransaction();
        await runner.release();
      }
      await dataSource.transaction((tx) => tx.query("INSERT INTO t (v) VALUES ('after')"));
      expect(await values()).toEqual(['after']);
    },
  );
});
