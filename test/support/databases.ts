import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { HubConfig } from '../../kernel/config';
import { dropServiceDatabase } from '../../kernel/datasource';

/** A database a test file runs on: its own SQLite directory, or its own MySQL databases (prefix). */
export interface TestDatabase {
  label: 'sqlite' | 'mysql';
  db: HubConfig['db'];
  /** Env settings that select this database for loadConfig. */
  env: Record<string, string>;
  /** Drops every database this test file created. */
  drop(services: string[]): Promise<void>;
}

/**
 * SQLite always; MySQL too when JOINTCHECK_MYSQL_URL is set (`.ci/run` sets it). Each call makes
 * fresh, uniquely named databases, so test files never share data.
 */
export function testDatabases(): TestDatabase[] {
  const unique = `jct${process.pid}${randomBytes(3).toString('hex')}_`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'jointcheck-test-'));
  const out: TestDatabase[] = [
    {
      label: 'sqlite',
      db: { kind: 'sqlite', dataDir, prefix: unique },
      env: { JOINTCHECK_DB: 'sqlite', JOINTCHECK_DATA_DIR: dataDir, JOINTCHECK_DB_PREFIX: unique },
      drop: async () => {
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    },
  ];
  const mysqlUrl = process.env.JOINTCHECK_MYSQL_URL;
  if (mysqlUrl) {
    const db: HubConfig['db'] = { kind: 'mysql', url: mysqlUrl.replace(/\/$/, ''), prefix: unique };
    out.push({
      label: 'mysql',
      db,
      env: { JOINTCHECK_DB: db.url, JOINTCHECK_DATA_DIR: dataDir, JOINTCHECK_DB_PREFIX: unique },
      drop: async (services) => {
        for (const service of services) await dropServiceDatabase(db, service);
        // Files beside the databases (a stand-in system's, the gateway's last good version).
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    });
  }
  return out;
}
