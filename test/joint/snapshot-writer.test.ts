import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inflateRawSync } from 'node:zlib';
import type { DataSource } from 'typeorm';
import { openServiceDatabase } from '../../kernel/datasource';
import { JOINT_ENTITIES } from '../../subgraphs/joint/entities';
import { JOINT_MIGRATIONS } from '../../subgraphs/joint';
import { TaskRepository } from '../../subgraphs/joint/tasks/task-repository';
import { testDatabases } from '../support/databases';
import { canonicalOrder, snapshotHash, type SnapshotEntry } from '../../subgraphs/joint/draw/canonical';
import { STRATA } from '../../subgraphs/joint/draw/strata';
import { DepartmentClient } from '../../subgraphs/joint/department-client';
import { generateSigningKeys, TokenIssuer } from '../../kernel/identity';
import { exportRoster, SnapshotWriter } from '../../subgraphs/joint/tasks/snapshot';
import { snapshotsUnderWay } from '../../subgraphs/joint/tasks/snapshot-progress';

/** 45,000 targets (three stored chunks), keys of letters, digits and dashes, strata in turn. */
function roster(): SnapshotEntry[] {
  return canonicalOrder(
    Array.from(
      { length: 45_000 },
      (_, i) => [`91310000${String((i * 7919) % 1_000_000).padStart(9, '0')}${'ABX'[i % 3]}`, STRATA[i % 4]!] as const,
    ),
  );
}

function write(entries: readonly SnapshotEntry[]) {
  const writer = new SnapshotWriter('market');
  for (const [key, stratum] of entries) writer.add(key, stratum, key, '310115', 'ENTERPRISE', 'F52');
  return writer.finish();
}

const storedKeys = (chunks: Buffer[]) =>
  chunks.flatMap((c) =>
    inflateRawSync(c)
      .toString('utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]!),
  );

describe('the snapshot written as the export arrives', () => {
  it(
    'R9: rows in id order are hashed and stored as they come: the hash of the canonical form, the lines in ' +
      'canonical order',
    () => {
      const entries = roster();
      const stored = write(entries);
      expect(stored.size).toBe(entries.length);
      expect(stored.hash).toBe(snapshotHash(entries));
      expect(stored.chunks.length).toBe(3);
      expect(storedKeys(stored.chunks)).toEqual(entries.map(([key]) => key));
    },
  );

  it(
    'R9: rows out of order (another collation) are put in ' + 'canonical order: the same hash and lines as in order',
    () => {
      const entries = roster();
      const shuffled = [...entries].reverse();
      [shuffled[10], shuffled[30_000]] = [shuffled[30_000]!, shuffled[10]!];
      const stored = write(shuffled);
      expect(stored.hash).toBe(snapshotHash(entries));
      expect(storedKeys(stored.chunks)).toEqual(entries.map(([key]) => key));
    },
  );

  it('R9: a department that lists a target twice breaks the contract, next to each other or far apart', () => {
    const entries = roster();
    expect(() => write([...entries.slice(0, 100), entries[99]!, ...entries.slice(100)])).toThrow(
      /broke the department contract: its export lists \S+ twice/,
    );
    const far = [...entries].reverse();
    far.push(far[5]!);
    let error: unknown;
    try {
      write(far);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({
      message: expect.stringMatching(/lists \S+ twice/),
      extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'market' },
    });
  });
});

describe('the bulk export read page by page', () => {
  const COLUMNS = [
    'id',
    'kind',
    'uscc',
    'regionCode',
    'industryCode',
    'creditLevel',
    'riskLevel',
    'penaltiesLast3Years',
    'verifiedComplaints',
  ];
  /** A department answering the export with these pages (what its subgraph would send). */
  const department = (pages: Array<{ tsv: string; count: number }>) =>
    ({
      run: async (_code: string, _op: string, variables: { after: string | null }) => {
        const i = variables.after === null ? 0 : Number(variables.after);
        return {
          market: {
            exportTargetRows: {
              columns: COLUMNS,
              ...pages[i]!,
              endCursor: String(i + 1),
              hasMore: i + 1 < pages.length,
            },
          },
        };
      },
    }) as unknown as DepartmentClient;
  const read = async (pages: Array<{ tsv: string; count: number }>) => {
    const rows: unknown[] = [];
    await exportRoster(department(pages), 'market', null, (row) => rows.push({ ...row }));
    return rows;
  };

  it(
    "R9: the next page's request reaches the department while this page is scanned, not after (the two work " +
      'side by side)',
    async () => {
      // A department over real HTTP: the request's arrival is what counts (Node writes a request on a later tick).
      const line = (i: number) =>
        `91310115MA${String(i).padStart(8, '0')}\tENTERPRISE\t91310115MA${String(i).padStart(8, '0')}\t310115\tF52\tA\tLOW\t0\t0\n`;
      const first = Array.from({ length: 25_000 }, (_, i) => line(i)).join('');
      const arrived: number[] = [];
      const server = http.createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          const after = (JSON.parse(body) as { variables: { after: string | null } }).variables.after;
          arrived.push(rowsScanned);
          const page = after === null ? { tsv: first, count: 25_000 } : { tsv: line(25_000), count: 1 };
          response.setHeader('content-type', 'application/json');
          response.end(
            JSON.stringify({
              data: {
                market: {
                  exportTargetRows: {
                    columns: COLUMNS,
                    ...page,
                    endCursor: String(page.count),
                    hasMore: after === null,
                  },
                },
              },
            }),
          );
        });
      });
      let rowsScanned = 0;
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const keys = await generateSigningKeys('test');
        const issuer = await TokenIssuer.fromJwk(keys.privateJwk, { issuer: 'test', audience: 'test' });
        const { port } = server.address() as AddressInfo;
        const client = new DepartmentClient(
          () => [{ code: 'market', name: 'market', url: `http://127.0.0.1:${port}/graphql` }],
          issuer,
        );
        await exportRoster(client, 'market', null, () => rowsScanned++);
        expect(rowsScanned).toBe(25_001);
        // The second request arrived before the first page's 25,000 rows were all scanned.
        expect(arrived).toHaveLength(2);
        expect(arrived[0]).toBe(0);
        expect(arrived[1]).toBeLessThan(25_000);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    },
  );

  it('R9: every line of every page becomes a target with the contract columns; an empty USCC is none', async () => {
    const rows = await read([
      { tsv: '91310115MA1K000001\tENTERPRISE\t91310115MA1K000001\t310115\tF52\tA\tLOW\t0\t0\n', count: 1 },
      {
        tsv:
          'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\t1\n' +
          'ib-0002\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tB\tHIGH\t0\t3\n',
        count: 2,
      },
    ]);
    expect(rows).toEqual([
      {
        id: '91310115MA1K000001',
        kind: 'ENTERPRISE',
        uscc: '91310115MA1K000001',
        regionCode: '310115',
        industryCode: 'F52',
        creditLevel: 'A',
        riskLevel: 'LOW',
        penaltiesLast3Years: 0,
        verifiedComplaints: 0,
      },
      {
        id: 'ib-0001',
        kind: 'INDIVIDUAL_BUSINESS',
        uscc: null,
        regionCode: '310104',
        industryCode: 'H62',
        creditLevel: 'C',
        riskLevel: 'GENERAL',
        penaltiesLast3Years: 2,
        verifiedComplaints: 1,
      },
      {
        id: 'ib-0002',
        kind: 'INDIVIDUAL_BUSINESS',
        uscc: null,
        regionCode: '310104',
        industryCode: 'H62',
        creditLevel: 'B',
        riskLevel: 'HIGH',
        penaltiesLast3Years: 0,
        verifiedComplaints: 3,
      },
    ]);
  });

  it(
    'R9: a breach found while the next page is on its way ' + 'leaves no unhandled failure of that page behind',
    async () => {
      const unhandled: unknown[] = [];
      const listener = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', listener);
      try {
        const failingSecondPage = {
          run: async (_c: string, _o: string, variables: { after: string | null }) => {
            if (variables.after !== null) throw new Error('the department went away');
            return {
              market: {
                exportTargetRows: {
                  columns: COLUMNS,
                  tsv: 'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\t1\n',
                  count: 1,
                  endCursor: '1',
                  hasMore: true,
                },
              },
            };
          },
        } as unknown as DepartmentClient;
        await expect(
          exportRoster(failingSecondPage, 'market', null, () => {
            throw new Error('its export lists ib-0001 twice');
          }),
        ).rejects.toThrow('twice');
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', listener);
      }
    },
  );

  it.each([
    [
      'a line with a column missing',
      'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\n',
      1,
      /without the contract's 9 columns: 'ib-0001/,
    ],
    [
      'a line with a column too many',
      'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\t1\tx\n',
      1,
      /without the contract's 9 columns/,
    ],
    [
      'a region that is no region code',
      'ib-0001\tINDIVIDUAL_BUSINESS\t\tShanghai\tH62\tC\tGENERAL\t2\t1\n',
      1,
      /a row the contract does not allow: 'ib-0001/,
    ],
    [
      'a USCC of the wrong length',
      'ib-0001\tINDIVIDUAL_BUSINESS\t9131\t310104\tH62\tC\tGENERAL\t2\t1\n',
      1,
      /a row the contract does not allow/,
    ],
    [
      'a page whose count is not its lines',
      'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\t1\n',
      2,
      /says 2 rows but holds 1/,
    ],
  ])(
    'R9: %s breaks the contract: the read stops with an error naming the department',
    async (_what, tsv, count, message) => {
      await expect(read([{ tsv, count }])).rejects.toMatchObject({
        message: expect.stringMatching(message),
        extensions: { code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'market' },
      });
    },
  );

  it(
    'I: progress is reported after every page, rows read so ' + 'far and whether the roster is read to the end (R9)',
    async () => {
      const seen: Array<[number, boolean]> = [];
      await exportRoster(
        department([
          { tsv: '91310115MA1K000001\tENTERPRISE\t91310115MA1K000001\t310115\tF52\tA\tLOW\t0\t0\n', count: 1 },
          {
            tsv:
              'ib-0001\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tC\tGENERAL\t2\t1\n' +
              'ib-0002\tINDIVIDUAL_BUSINESS\t\t310104\tH62\tB\tHIGH\t0\t3\n',
            count: 2,
          },
        ]),
        'market',
        null,
        () => undefined,
        (rows, done) => seen.push([rows, done]),
      );
      expect(seen).toEqual([
        [1, false],
        [3, true],
      ]);
    },
  );
});

describe('a snapshot under way, as the task shows it (issue I)', () => {
  it(
    'I: the board gives a copy of the counts while it runs, keeps the final counts once taken, and forgets a ' +
      'failed one; a second request for the task ends only its own',
    () => {
      const first = snapshotsUnderWay.begin('t-1', ['market', 'tax'], new Date('2026-03-02T02:00:00Z'));
      snapshotsUnderWay.read(first, 'tax', 50_000, false);
      const now = snapshotsUnderWay.of('t-1')!;
      expect(now.departments).toEqual([
        { department: 'market', rowsRead: 0, done: false },
        { department: 'tax', rowsRead: 50_000, done: false },
      ]);
      snapshotsUnderWay.read(first, 'tax', 60_000, true);
      expect(now.departments[1]!.rowsRead).toBe(50_000);
      expect(snapshotsUnderWay.of('t-1')!.departments[1]).toEqual({ department: 'tax', rowsRead: 60_000, done: true });
      // A second request for the same task (another tab): it fails the status check; the first's counts stay.
      const second = snapshotsUnderWay.begin('t-1', ['market', 'tax'], new Date('2026-03-02T02:00:01Z'));
      snapshotsUnderWay.end('t-1', first, new Date('2026-03-02T02:00:05Z'));
      expect(snapshotsUnderWay.of('t-1')!.finishedAt).toBeNull();
      snapshotsUnderWay.read(second, 'market', 10, true);
      snapshotsUnderWay.end('t-1', second, new Date('2026-03-02T02:00:06Z'));
      expect(snapshotsUnderWay.of('t-1')).toMatchObject({
        finishedAt: new Date('2026-03-02T02:00:06Z'),
        departments: [{ rowsRead: 10, done: true }, { rowsRead: 0 }],
      });
      // A failed one is forgotten at once.
      const failed = snapshotsUnderWay.begin('t-2', ['market'], new Date('2026-03-02T02:00:00Z'));
      snapshotsUnderWay.end('t-2', failed, null);
      expect(snapshotsUnderWay.of('t-2')).toBeNull();
    },
  );
});

describe.each(testDatabases())('the snapshot read back for a draw ($label)', (database) => {
  let dataSource: DataSource;
  beforeAll(async () => {
    ({ dataSource } = await openServiceDatabase(database.db, 'joint', {
      entities: JOINT_ENTITIES,
      migrations: JOINT_MIGRATIONS,
    }));
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop(['joint']);
  });

  it(
    'R9: a snapshot of three stored chunks reads back to the same hash, each stratum its positions in canonical ' +
      'order, and each entry its own key and target, across the chunks',
    async () => {
      const entries = roster();
      const details = (i: number) => ({
        uscc: i % 5 === 0 ? null : entries[i]![0],
        regionCode: `3101${String(i % 100).padStart(2, '0')}`,
        kind: i % 2 ? 'ENTERPRISE' : 'INDIVIDUAL_BUSINESS',
        industryCode: `F${i % 97}`,
      });
      const writer = new SnapshotWriter('market');
      entries.forEach(([key, stratum], i) => {
        const d = details(i);
        writer.add(key, stratum, d.uscc, d.regionCode, d.kind, d.industryCode);
      });
      const stored = writer.finish();
      expect(stored.chunks.length).toBe(3);
      await dataSource.transaction((tx) => new TaskRepository(tx).storeSnapshot('readback-task', stored));
      const loaded = await new TaskRepository(dataSource.manager).loadSnapshot('readback-task');
      expect(loaded.hash).toBe(snapshotHash(entries));
      expect(loaded.size).toBe(entries.length);
      for (const stratum of STRATA)
        expect(loaded.strata[stratum]).toEqual(
          entries.flatMap(([, s], i) => (s === stratum ? [i] : [])), // canonical order: ascending positions
        );
      // The first and last entries of each chunk (20,000 lines a chunk), and the last of all.
      for (const i of [0, 1, 19_999, 20_000, 20_001, 39_999, 40_000, entries.length - 1]) {
        expect(loaded.key(i)).toBe(entries[i]![0]);
        expect(loaded.target(i)).toEqual(details(i));
      }
      expect(loaded.entries()).toEqual(entries);
      expect(() => loaded.key(entries.length)).toThrow(RangeError);
    },
  );
});
