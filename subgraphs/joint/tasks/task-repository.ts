import { createHash } from 'node:crypto';
import { inflateRawSync } from 'node:zlib';
import { type EntityManager, In, MoreThanOrEqual, Not } from 'typeorm';
import { betterSqlite } from '../../../kernel/datasource';
import { codecOfEntity, select } from '../../../kernel/prepared';
import { insertRows, updateRows } from '../../../kernel/rows';
import type { SnapshotEntry } from '../draw/canonical';
import { STRATA, type Stratum } from '../draw/strata';
import { DrawnTargetRow, SnapshotChunkRow, TaskRow } from './entities';
import type { Snapshot, SnapshotTarget, StoredSnapshot } from './snapshot';

/** Tasks, their snapshots and drawn targets (R9, R15-R17): the only code that reads or writes their tables. */
export class TaskRepository {
  constructor(readonly manager: EntityManager) {}

  /** A task by id, or null. */
  async find(taskId: string): Promise<TaskRow | null> {
    // A prepared statement: every submission reads its task (the write-back's hot path).
    const c = codecOfEntity(this.manager, TaskRow);
    const [row] = await select(this.manager, `SELECT ${c.columns} FROM task WHERE id = ?`, [taskId]);
    return row ? c.read(row) : null;
  }

  /** The tasks of a plan, oldest first. */
  async ofPlan(planId: string): Promise<TaskRow[]> {
    return this.manager.find(TaskRow, { where: { planId }, order: { createdAt: 'ASC' } });
  }

  /** Of some tasks, those not in status `except`, newest first, at most `take`. */
  async newestAmong(taskIds: readonly string[], except: string, take: number): Promise<TaskRow[]> {
    return this.manager.find(TaskRow, {
      where: { id: In([...taskIds]), status: Not(except) },
      order: { createdAt: 'DESC' },
      take,
    });
  }

  /** Stores a new task. */
  async insert(task: TaskRow): Promise<void> {
    await insertRows(this.manager, TaskRow, task);
  }

  /**
   * Sets a task's columns (`to`, its new status among them) only if it is still in status `from`:
   * false when it is not (someone else moved it first). The guard behind each step of a task.
   */
  async advance(taskId: string, from: string, to: Partial<TaskRow> & { status: string }): Promise<boolean> {
    const moved = await updateRows(this.manager, TaskRow, { id: taskId, status: from }, to);
    return moved.affected === 1;
  }

  /** Keys drawn in a year by tasks in status `status`, at least `times` times (one statement). */
  async keysDrawnAtLeast(year: number, status: string, times: number): Promise<string[]> {
    const rows = await this.manager
      .createQueryBuilder(DrawnTargetRow, 'd')
      .innerJoin(TaskRow, 't', 't.id = d.task_id')
      .select('d.target_key', 'key')
      .where('d.year = :year AND t.status = :locked', { year, locked: status })
      .groupBy('d.target_key')
      .having('COUNT(*) >= :max', { max: times })
      .getRawMany<{ key: string }>();
    return rows.map((r) => r.key);
  }

  /**
   * Keys drawn by the tasks in status `status` that were locked at or after `since`: the tasks are
   * read first, then (if any) their keys, once each.
   */
  async keysDrawnByTasksLockedSince(status: string, since: Date): Promise<string[]> {
    const tasks = await this.manager.find(TaskRow, {
      select: { id: true },
      where: { status, lockedAt: MoreThanOrEqual(since) },
    });
    if (!tasks.length) return [];
    const rows = await this.manager
      .createQueryBuilder(DrawnTargetRow, 'd')
      .select('DISTINCT d.target_key', 'key')
      .where({ taskId: In(tasks.map((t) => t.id)) })
      .getRawMany<{ key: string }>();
    return rows.map((r) => r.key);
  }

  /**
   * Of a task's drawn keys, those drawn in `year` by tasks in status `status` more than `max` times
   * (the task itself counted if it has that status), in one statement.
   */
  async keysDrawnMoreThan(taskId: string, year: number, status: string, max: number): Promise<string[]> {
    const over: Array<{ k: string }> = await this.manager.query(
      `SELECT d.target_key AS k FROM drawn_target d JOIN task t ON t.id = d.task_id
           WHERE t.status = ? AND d.year = ? AND d.target_key IN (SELECT target_key FROM drawn_target WHERE task_id = ?)
           GROUP BY d.target_key HAVING COUNT(*) > ?`,
      [status, year, taskId, max],
    );
    return over.map((r) => r.k);
  }

  /** Stores a snapshot's chunks (the hash covers key and stratum only). */
  async storeSnapshot(taskId: string, snapshot: StoredSnapshot): Promise<void> {
    for (const [seq, data] of snapshot.chunks.entries())
      await insertRows(this.manager, SnapshotChunkRow, { taskId, seq, data });
  }

  /**
   * Reads a stored snapshot back and hashes it again (R9). Each line is looked at up to its
   * stratum only (for the hash and the strata): no string or list per entry, only its line's
   * place; the rest of a line is read when its key or target is asked for.
   */
  async loadSnapshot(taskId: string): Promise<Snapshot> {
    const chunks = await this.manager.find(SnapshotChunkRow, { where: { taskId }, order: { seq: 'ASC' } });
    const texts: string[] = [];
    /** The position of each chunk's first entry. */
    const firsts: number[] = [];
    /** Where each entry's line starts in its chunk's text. */
    const lineAt: number[] = [];
    const strata: Record<Stratum, number[]> = { HIGH: [], ELEVATED: [], GENERAL: [], LOW: [] };
    const hash = createHash('sha256');
    for (const chunk of chunks) {
      const text = inflateRawSync(chunk.data).toString('utf8');
      texts.push(text);
      firsts.push(lineAt.length);
      // The canonical lines (key, tab, stratum) of this chunk, joined once and hashed.
      const canonical: string[] = [];
      for (let at = 0; at < text.length;) {
        const end = text.indexOf('\n', at);
        const lineEnd = end === -1 ? text.length : end;
        if (lineEnd > at) {
          const t1 = text.indexOf('\t', at);
          const t2 = t1 < 0 ? -1 : text.indexOf('\t', t1 + 1);
          const stratum = t2 < 0 || t2 > lineEnd ? undefined : stratumAt(text, t1 + 1, t2);
          if (stratum === undefined)
            throw new Error(`The stored snapshot of task ${taskId} has a broken line in chunk ${chunk.seq}.`);
          canonical.push(text.slice(at, t2));
          strata[stratum].push(lineAt.length);
          lineAt.push(at);
        }
        at = lineEnd + 1;
      }
      if (canonical.length) hash.update(`${canonical.join('\n')}\n`, 'utf8');
    }
    /** The text of entry i's chunk (the last chunk whose first entry is at or before i). */
    const textOf = (i: number): string => {
      if (!Number.isInteger(i) || i < 0 || i >= lineAt.length)
        throw new RangeError(`Snapshot of task ${taskId}: no entry ${i} (it has ${lineAt.length}).`);
      let lo = 0;
      let hi = firsts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (firsts[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      return texts[lo]!;
    };
    const fields = (i: number): string[] => {
      const text = textOf(i);
      const start = lineAt[i]!;
      const end = text.indexOf('\n', start);
      return text.slice(start, end === -1 ? text.length : end).split('\t');
    };
    const key = (i: number): string => {
      const text = textOf(i);
      return text.slice(lineAt[i], text.indexOf('\t', lineAt[i]));
    };
    const target = (i: number): SnapshotTarget => {
      const [, , uscc, regionCode, kind, industryCode] = fields(i);
      return { uscc: uscc || null, regionCode: regionCode!, kind: kind!, industryCode: industryCode! };
    };
    const entries = (): SnapshotEntry[] =>
      lineAt.map((_, i) => {
        const [k, stratum] = fields(i);
        return [k!, stratum as Stratum] as const;
      });
    return { hash: hash.digest('hex'), size: lineAt.length, strata, key, target, entries };
  }

  /**
   * The drawn targets, inside the draw's transaction. On SQLite (better-sqlite3 runs one connection,
   * and the transaction is open on it) one prepared statement is run per row; elsewhere plain
   * multi-row INSERTs (TypeORM's insert builder costs more than the database for 100,000 rows).
   */
  async insertDrawnTargets(rows: readonly DrawnTargetRow[]): Promise<void> {
    const columns = '(task_id, target_key, uscc, region_code, kind, industry_code, year, batch, position)';
    const sqlite = betterSqlite(this.manager.connection);
    if (sqlite?.inTransaction) {
      const insert = sqlite.prepare(`INSERT INTO drawn_target ${columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      for (const r of rows)
        insert.run(r.taskId, r.targetKey, r.uscc, r.regionCode, r.kind, r.industryCode, r.year, r.batch, r.position);
      return;
    }
    const CHUNK = 500;
    for (let i = 0; i < rows.length; i += CHUNK) {
      const part = rows.slice(i, i + CHUNK);
      const params: unknown[] = [];
      for (const r of part)
        params.push(r.taskId, r.targetKey, r.uscc, r.regionCode, r.kind, r.industryCode, r.year, r.batch, r.position);
      await this.manager.query(
        `INSERT INTO drawn_target ${columns} VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`,
        params,
      );
    }
  }

  /**
   * A page of a task's drawn targets in the drawn order (`skip` rows, then at most `take`);
   * optionally only some keys.
   */
  async drawnTargetsPage(
    taskId: string,
    skip: number,
    take: number,
    onlyKeys?: readonly string[],
  ): Promise<DrawnTargetRow[]> {
    return this.manager.find(DrawnTargetRow, {
      where: { taskId, ...(onlyKeys ? { targetKey: In([...onlyKeys]) } : {}) },
      order: { position: 'ASC' },
      skip,
      take,
    });
  }

  /** How many targets a task drew, or, with `onlyKeys`, how many of those keys it drew. */
  async countDrawnTargets(taskId: string, onlyKeys?: readonly string[]): Promise<number> {
    return this.manager.countBy(DrawnTargetRow, { taskId, ...(onlyKeys ? { targetKey: In([...onlyKeys]) } : {}) });
  }

  /** One drawn target of a task (a visit), or null when the key was not drawn. */
  async drawnTarget(taskId: string, targetKey: string): Promise<DrawnTargetRow | null> {
    // A prepared statement: every submission reads its visit (the write-back's hot path).
    const c = codecOfEntity(this.manager, DrawnTargetRow);
    const [row] = await select(
      this.manager,
      `SELECT ${c.columns} FROM drawn_target WHERE task_id = ? AND target_key = ?`,
      [taskId, targetKey],
    );
    return row ? c.read(row) : null;
  }

  /** Every target a task drew, in the drawn order. */
  async drawnTargets(taskId: string): Promise<DrawnTargetRow[]> {
    return this.manager.find(DrawnTargetRow, { where: { taskId }, order: { position: 'ASC' } });
  }

  /** The drawn targets of a task among some keys, in no particular order: one statement (none for no keys). */
  async drawnTargetsOfKeys(taskId: string, keys: readonly string[]): Promise<DrawnTargetRow[]> {
    if (keys.length === 0) return [];
    return this.manager.find(DrawnTargetRow, { where: { taskId, targetKey: In([...keys]) } });
  }
}

/** The stratum spelled in `text` from `start` to `end`, or undefined (no string is made). */
function stratumAt(text: string, start: number, end: number): Stratum | undefined {
  for (const stratum of STRATA) if (end - start === stratum.length && text.startsWith(stratum, start)) return stratum;
  return undefined;
}
