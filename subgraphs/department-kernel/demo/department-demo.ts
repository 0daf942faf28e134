import { insertRows } from '../../../kernel/rows';
import type { DataSource, EntityManager } from 'typeorm';
import { chunk } from '../../../kernel/datasource';
import { validateChecklistItem } from '../checklist-rules';
import { ChecklistItemRow, ExpertRow, InspectorRow, RosterTargetRow } from '../entities';
import { checklistItemRow } from '../repository';
import type { ChecklistItemInput } from '../contract/inputs';
import type { ChecklistSeedItem } from './checklist-seed';
import { chance, demoEntities, demoFacts, type DemoEntity, personName, pick, rngFor } from './generator';
import { EXPERT_ORGANISATIONS, EXPERT_TITLES, POSITIONS, REGIONS } from './names';

/** How a built-in department fills its database with demo data. */
export interface DemoDepartment {
  checklist: ChecklistSeedItem[];
  /** Supervision domains its inspectors hold (R7). */
  domains: string[];
  /** Its inspecting unit in a district, e.g. `${district}市场监督管理局`. */
  unit: (districtName: string) => string;
  /** Short code in certificate numbers. */
  certificateCode: string;
  inspectors: number;
  experts: number;
  /** Whether an entity of the market register is on this department's roster (谁审批、谁监管: R6). */
  onRoster: (entity: DemoEntity, seed: string) => boolean;
  /**
   * The department's own rows (ratings, permits, projects ...), per batch of the register:
   * `rostered` are the batch's entities on its roster, `all` the whole batch (market keeps every one).
   */
  seedOwn?: (manager: EntityManager, seed: string, rostered: DemoEntity[], all: DemoEntity[]) => Promise<void>;
}

export interface DemoSettings {
  seed: string;
  targets: number;
}

/** The date the demo data pretends to be made on, so the same seed gives the same rows. */
export const DEMO_EPOCH = new Date('2026-01-05T01:00:00Z');

export function rosterRow(department: string, seed: string, entity: DemoEntity): RosterTargetRow {
  return Object.assign(new RosterTargetRow(), {
    id: entity.uscc,
    kind: entity.kind,
    uscc: entity.uscc,
    name: entity.name,
    regionCode: entity.regionCode,
    industryCode: entity.industryCode,
    ...demoFacts(seed, department, entity),
    updatedAt: DEMO_EPOCH,
  });
}

/** The demo checklist, checked by the same rules as items entered through the API (R1, R2). */
export function checklistRows(items: ChecklistSeedItem[]): ChecklistItemRow[] {
  // Seed files spell enum values as string literals, which are the enums' runtime values.
  return items.map((item, i) =>
    checklistItemRow(
      item.code,
      1,
      validateChecklistItem(item as unknown as ChecklistItemInput, `demo checklist[${i}] (${item.code})`),
      'demo-data',
      DEMO_EPOCH,
      null,
    ),
  );
}

/**
 * Inspectors spread over the districts; every domain is held by several of them (R7). The first,
 * `<dept>-i0001`, is the demo inspector who signs in (idp/demo-users.ts): qualified, holding every
 * domain, city-wide, so that a deputy head can seat them on any visit of a demo task (R20).
 */
export function inspectorRows(department: string, seed: string, demo: DemoDepartment): InspectorRow[] {
  return Array.from({ length: demo.inspectors }, (_, i) => {
    const rng = rngFor(seed, department, 'inspector', i);
    const region = REGIONS[i % REGIONS.length]!;
    const domains = new Set([demo.domains[i % demo.domains.length]!]);
    while (chance(rng, 0.5) && domains.size < demo.domains.length) domains.add(pick(rng, demo.domains));
    const signsIn = i === 0;
    if (signsIn) for (const d of demo.domains) domains.add(d);
    const cityWide = chance(rng, 0.1) || signsIn;
    return Object.assign(new InspectorRow(), {
      id: `${department}-i${String(i + 1).padStart(4, '0')}`,
      name: personName(rng),
      certificateNo: `${region.code}${demo.certificateCode}${String(2015 + Math.floor(rng() * 11))}${String(i + 1).padStart(5, '0')}`,
      unit: cityWide ? demo.unit('上海市') : demo.unit(region.name),
      position: pick(rng, POSITIONS),
      domains: [...domains].sort(),
      permissions: chance(rng, 0.3) ? ['行政检查', '行政处罚', '行政强制'] : ['行政检查', '行政处罚'],
      jurisdiction: cityWide ? ['31'] : [region.code],
      qualified: !chance(rng, 0.05) || signsIn,
      phone: `13${Math.floor(rng() * 10)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
    });
  });
}

export function expertRows(department: string, seed: string, demo: DemoDepartment): ExpertRow[] {
  return Array.from({ length: demo.experts }, (_, i) => {
    const rng = rngFor(seed, department, 'expert', i);
    return Object.assign(new ExpertRow(), {
      id: `${department}-e${String(i + 1).padStart(3, '0')}`,
      name: personName(rng),
      organisation: pick(rng, EXPERT_ORGANISATIONS),
      title: pick(rng, EXPERT_TITLES),
      expertise: [demo.domains[i % demo.domains.length]!],
      phone: `13${Math.floor(rng() * 10)}${String(Math.floor(rng() * 1e8)).padStart(8, '0')}`,
    });
  });
}

/** Inserts rows in chunks (STACK.md: parameter limits). */
export async function insertChunked<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: T[],
  size = 200,
): Promise<void> {
  for (const part of chunk(rows, size)) await insertRows(manager, entity, part);
}

export interface SeedOptions {
  /**
   * One transaction per batch of 5,000 entities instead of one for everything: for benchmark
   * rosters of a million entities (a crash leaves a partial roster; re-seed with a reset).
   */
  transactionPerBatch?: boolean;
  /** Called after each batch with the number of register entities done. */
  onProgress?: (done: number) => void;
}

/**
 * Fills an empty department database with demo data. Does nothing when the checklist has rows
 * already: demo data is made once, on first start. Entities are streamed, so memory stays flat
 * whatever the count.
 */
export async function seedDepartmentDemo(
  dataSource: DataSource,
  department: string,
  demo: DemoDepartment,
  settings: DemoSettings,
  options: SeedOptions = {},
): Promise<boolean> {
  if ((await dataSource.manager.count(ChecklistItemRow)) > 0) return false;
  const seed = async (
    manager: EntityManager,
    inBatch: (work: (m: EntityManager) => Promise<void>) => Promise<void>,
  ) => {
    await insertChunked(manager, ChecklistItemRow, checklistRows(demo.checklist), 50);
    await insertChunked(manager, InspectorRow, inspectorRows(department, settings.seed, demo));
    await insertChunked(manager, ExpertRow, expertRows(department, settings.seed, demo));
    const batch: DemoEntity[] = [];
    let done = 0;
    const flush = () =>
      inBatch(async (m) => {
        // Only operating entities are supervised; the register keeps the others.
        const rostered = batch.filter((e) => e.status === 'OPERATING' && demo.onRoster(e, settings.seed));
        await insertChunked(
          m,
          RosterTargetRow,
          rostered.map((e) => rosterRow(department, settings.seed, e)),
        );
        await demo.seedOwn?.(m, settings.seed, rostered, batch);
        done += batch.length;
        batch.length = 0;
        options.onProgress?.(done);
      });
    for (const entity of demoEntities(settings.seed, settings.targets)) {
      batch.push(entity);
      if (batch.length === 5000) await flush();
    }
    await flush();
  };
  if (options.transactionPerBatch) {
    await seed(dataSource.manager, (work) => dataSource.transaction(work));
  } else {
    await dataSource.transaction((manager) => seed(manager, (work) => work(manager)));
  }
  return true;
}
