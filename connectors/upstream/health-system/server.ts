import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Database from 'better-sqlite3';
import express from 'express';
import { demoEntity, rngFor } from '../../../subgraphs/department-kernel/demo/generator';
import { likeClause, likeStartingWith } from '../../../subgraphs/department-kernel/like';

/**
 * A stand-in for the health commission's (卫健) existing inspection system: a REST/JSON service
 * with its own database, its own field names and its own paging, which the REST connector maps
 * onto the department contract (issue E). It is not part of the hub: the hub reaches it only
 * over HTTP with an API key, as it would a real department's system.
 *
 * Its units are market entities of the demo register (so the hub can show its view of them),
 * chosen and described by its own seed.
 */
export interface HealthSystemOptions {
  /** The market register's demo seed and size, to choose its units among them. */
  registerSeed: string;
  registerSize: number;
  apiKey: string;
  port?: number;
  host?: string;
  /** SQLite file of its own; in memory when absent. */
  databaseFile?: string;
}

/**
 * A failure the tests ask for: the next `times` requests whose path matches answer `status` (or hang for `delayMs`).
 */
export interface InjectedFault {
  path: RegExp;
  /** Only requests of this method (all when absent). */
  method?: string;
  times: number;
  status?: number;
  delayMs?: number;
}

export interface HealthSystem {
  url: string;
  /** The key it accepts (tests read what the hub wrote back with it). */
  apiKey: string;
  /** Requests received per path (the tests count batching with it). */
  calls: Array<{ method: string; path: string; query: string }>;
  faults: InjectedFault[];
  stop(): Promise<void>;
}

const UNIT_TYPES = ['HOSPITAL', 'CLINIC', 'PUBLIC_PLACE', 'WATER_SUPPLY', 'DISINFECTION'] as const;
const GRADES = ['A', 'B', 'C', 'D'] as const;

/** Its checklist (检查事项), citing the laws its inspectors apply. */
const ITEMS = [
  {
    itemNo: 'WJ-001',
    name: '医疗机构执业许可证及校验情况',
    law: '《医疗机构管理条例》第十五条、第二十二条',
    key: 1,
    domain: '医疗机构监管',
  },
  {
    itemNo: 'WJ-002',
    name: '医师、护士执业资格与注册',
    law: '《中华人民共和国医师法》第十三条；《护士条例》第七条',
    key: 1,
    domain: '医疗机构监管',
  },
  {
    itemNo: 'WJ-003',
    name: '医疗废物分类收集与交接登记',
    law: '《医疗废物管理条例》第十四条、第十六条',
    key: 1,
    domain: '传染病防治',
  },
  {
    itemNo: 'WJ-004',
    name: '传染病疫情报告与预检分诊',
    law: '《中华人民共和国传染病防治法》第三十条、第五十一条',
    key: 1,
    domain: '传染病防治',
  },
  {
    itemNo: 'WJ-005',
    name: '公共场所卫生许可证与从业人员健康合格证明',
    law: '《公共场所卫生管理条例》第六条、第八条',
    key: 0,
    cap: 10,
    domain: '公共卫生',
  },
  {
    itemNo: 'WJ-006',
    name: '生活饮用水卫生许可与水质检测',
    law: '《生活饮用水卫生监督管理办法》第七条',
    key: 0,
    cap: 10,
    domain: '公共卫生',
  },
  {
    itemNo: 'WJ-007',
    name: '消毒产品生产企业卫生许可',
    law: '《消毒管理办法》第二十条',
    key: 0,
    cap: 5,
    domain: '公共卫生',
  },
  {
    itemNo: 'WJ-008',
    name: '放射诊疗许可与防护检测',
    law: '《放射诊疗管理规定》第十六条',
    key: 1,
    domain: '医疗机构监管',
  },
];

function seedDatabase(db: Database.Database, options: HealthSystemOptions): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS unit (unit_code TEXT PRIMARY KEY, credit_code TEXT NOT NULL, unit_name TEXT NOT NULL, unit_type TEXT NOT NULL, area_code TEXT NOT NULL, industry TEXT NOT NULL, grade TEXT, risk_grade INTEGER, penalty_count_3y INTEGER NOT NULL, complaint_count INTEGER NOT NULL);
    CREATE TABLE IF NOT EXISTS inspector (staff_no TEXT PRIMARY KEY, full_name TEXT NOT NULL, cert_no TEXT NOT NULL, specialties TEXT NOT NULL, areas TEXT NOT NULL, on_duty INTEGER NOT NULL, mobile TEXT NOT NULL);
    CREATE TABLE IF NOT EXISTS item (item_no TEXT NOT NULL, edition INTEGER NOT NULL, name TEXT NOT NULL, law TEXT NOT NULL, key_item INTEGER NOT NULL, cap_percent REAL, domain TEXT NOT NULL, state TEXT NOT NULL, PRIMARY KEY (item_no, edition));
    CREATE TABLE IF NOT EXISTS result (record_no INTEGER PRIMARY KEY AUTOINCREMENT, request_key TEXT NOT NULL UNIQUE, payload TEXT NOT NULL, received_at TEXT NOT NULL);
  `);
  if ((db.prepare('SELECT COUNT(*) AS n FROM unit').get() as { n: number }).n > 0) return;
  const insertUnit = db.prepare('INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const insertInspector = db.prepare('INSERT INTO inspector VALUES (?, ?, ?, ?, ?, ?, ?)');
  const insertItem = db.prepare('INSERT INTO item VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    let n = 0;
    for (let i = 0; i < options.registerSize; i++) {
      const rng = rngFor('health-system', 'unit', i);
      if (rng() > 0.15) continue;
      const entity = demoEntity(options.registerSeed, i);
      if (entity.kind !== 'ENTERPRISE') continue;
      n++;
      const risk = 1 + Math.min(3, Math.floor(entity.latentRisk * 4 + rng() * 0.5));
      insertUnit.run(
        `WJ${String(n).padStart(6, '0')}`,
        entity.uscc,
        entity.name,
        UNIT_TYPES[Math.floor(rng() * UNIT_TYPES.length)],
        entity.regionCode,
        entity.industryCode,
        GRADES[Math.min(3, Math.floor(entity.latentRisk * 4))],
        risk,
        Math.floor(entity.latentRisk * 3),
        Math.floor(rng() * 3),
      );
    }
    const districts = ['310101', '310104', '310105', '310106', '310107', '310109', '310110', '310112'];
    for (let i = 1; i <= 24; i++) {
      const rng = rngFor('health-system', 'inspector', i);
      const specialties = ITEMS.map((it) => it.domain).filter((d, k, all) => all.indexOf(d) === k && rng() < 0.6);
      insertInspector.run(
        `WJ-S${String(i).padStart(3, '0')}`,
        `卫健监督员${i}`,
        `31000${String(20180000 + i)}`,
        (specialties.length ? specialties : ['公共卫生']).join(','),
        i % 4 === 0 ? '31' : districts.filter(() => rng() < 0.5).join(',') || '310101',
        i === 24 ? 0 : 1,
        `1390000${String(1000 + i)}`,
      );
    }
    for (const it of ITEMS)
      insertItem.run(it.itemNo, 1, it.name, it.law, it.key, it.key ? null : (it.cap ?? null), it.domain, 'ACTIVE');
  })();
}

/** Starts the stand-in on its own port; resolves once it listens. */
export async function startHealthSystem(options: HealthSystemOptions): Promise<HealthSystem> {
  if (options.databaseFile) fs.mkdirSync(path.dirname(path.resolve(options.databaseFile)), { recursive: true });
  const db = new Database(options.databaseFile ?? ':memory:');
  db.pragma('journal_mode = WAL');
  seedDatabase(db, options);
  const calls: HealthSystem['calls'] = [];
  const faults: InjectedFault[] = [];
  /** Answers held back by a delay fault (dropped when it stops). */
  const delayed = new Set<NodeJS.Timeout>();
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '5mb' }));
  // Every API request is recorded (faulted ones too: tests count retries); injected faults apply
  // to the API and to /health alike (paths are matched without the /api prefix).
  app.use((req, res, next) => {
    const api = req.path.startsWith('/api/');
    const route = api ? req.path.slice(4) : req.path;
    if (api) {
      calls.push({
        method: req.method,
        path: route,
        query: new URLSearchParams(req.query as Record<string, string>).toString(),
      });
      // The latest requests only: the quick start runs it for as long as the hub.
      if (calls.length > 20_000) calls.splice(0, calls.length - 10_000);
    }
    const fault = faults.find((f) => f.times > 0 && f.path.test(route) && (!f.method || f.method === req.method));
    if (!fault) return next();
    fault.times--;
    if (fault.delayMs) {
      const timer = setTimeout(() => {
        delayed.delete(timer);
        if (fault.status) res.status(fault.status).json({ message: 'injected fault' });
        else next();
      }, fault.delayMs);
      delayed.add(timer);
      return;
    }
    res.status(fault.status ?? 500).json({ message: 'injected fault' });
  });
  app.get('/health', (_req, res) => void res.json({ status: 'UP' }));
  app.use('/api', (req, res, next) => {
    if (req.get('x-api-key') !== options.apiKey) return void res.status(401).json({ message: 'invalid api key' });
    next();
  });

  const page = (req: express.Request) => {
    const pageNo = Math.max(1, Number(req.query.pageNo ?? 1) || 1);
    const pageSize = Math.min(500, Math.max(1, Number(req.query.pageSize ?? 100) || 100));
    return { pageNo, pageSize, offset: (pageNo - 1) * pageSize };
  };

  // Units (监管对象), paged, optionally by area prefix; or a batch by codes (at most 100).
  app.get('/api/v2/units', (req, res) => {
    const { pageNo, pageSize, offset } = page(req);
    const area = typeof req.query.areaPrefix === 'string' ? req.query.areaPrefix : '';
    const rows = db
      .prepare(`SELECT * FROM unit WHERE ${likeClause('area_code', '?')} ORDER BY unit_code LIMIT ? OFFSET ?`)
      .all(likeStartingWith(area), pageSize, offset);
    const total = (
      db
        .prepare(`SELECT COUNT(*) AS n FROM unit WHERE ${likeClause('area_code', '?')}`)
        .get(likeStartingWith(area)) as { n: number }
    ).n;
    res.json({ code: 0, data: { total, pageNo, pageSize, records: rows } });
  });
  app.get('/api/v2/units/batch', (req, res) => {
    const codes = String(req.query.creditCodes ?? '')
      .split(',')
      .filter(Boolean);
    if (codes.length > 100)
      return void res.status(400).json({ code: 400, message: 'at most 100 creditCodes per request' });
    const rows = codes.length
      ? db.prepare(`SELECT * FROM unit WHERE credit_code IN (${codes.map(() => '?').join(',')})`).all(...codes)
      : [];
    res.json({ code: 0, data: { records: rows } });
  });
  app.get('/api/v2/inspectors', (req, res) => {
    const { pageNo, pageSize, offset } = page(req);
    const rows = db.prepare('SELECT * FROM inspector ORDER BY staff_no LIMIT ? OFFSET ?').all(pageSize, offset);
    const total = (db.prepare('SELECT COUNT(*) AS n FROM inspector').get() as { n: number }).n;
    res.json({ code: 0, data: { total, pageNo, pageSize, records: rows } });
  });
  app.get('/api/v2/items', (_req, res) => {
    res.json({ code: 0, data: { records: db.prepare('SELECT * FROM item ORDER BY item_no, edition').all() } });
  });
  // Results written back: idempotent on the Idempotency-Key header (the same key answers the record already made).
  app.post('/api/v2/results', (req, res) => {
    const key = req.get('idempotency-key');
    if (!key) return void res.status(400).json({ code: 400, message: 'Idempotency-Key header required' });
    const payload = JSON.stringify(req.body ?? null);
    const existing = db.prepare('SELECT record_no, payload FROM result WHERE request_key = ?').get(key) as
      { record_no: number; payload: string } | undefined;
    if (existing) {
      if (existing.payload !== payload)
        return void res.status(409).json({ code: 409, message: `key ${key} was used for other content` });
      return void res.json({ code: 0, data: { recordNo: existing.record_no, created: false } });
    }
    const info = db
      .prepare('INSERT INTO result (request_key, payload, received_at) VALUES (?, ?, ?)')
      .run(key, payload, new Date().toISOString());
    res.status(201).json({ code: 0, data: { recordNo: Number(info.lastInsertRowid), created: true } });
  });
  app.get('/api/v2/results', (req, res) => {
    const { pageNo, pageSize, offset } = page(req);
    const rows = (
      db.prepare('SELECT * FROM result ORDER BY record_no LIMIT ? OFFSET ?').all(pageSize, offset) as Array<{
        record_no: number;
        request_key: string;
        payload: string;
        received_at: string;
      }>
    ).map((r) => ({ ...r, payload: JSON.parse(r.payload) as unknown }));
    res.json({ code: 0, data: { pageNo, pageSize, records: rows } });
  });

  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    db.close();
    throw new Error(
      `The health system's stand-in could not listen on ${options.host ?? '127.0.0.1'}:${options.port ?? 0}: ` +
        `${(error as Error).message}`,
      { cause: error },
    );
  }
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    apiKey: options.apiKey,
    calls,
    faults,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        for (const timer of delayed) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      })),
  };
}
