import { ErrorCode, type HubError } from '../../../kernel/errors';
import type { JointDeps } from '../context';

/** How long a department's outcome dictionary is used for the next submissions (see outcomesOf). */
export const OUTCOMES_FRESH_MS = 10_000;

interface Kept {
  kept: Map<string, { codes: Set<string>; readAt: number }>;
  reading: Map<string, Promise<Set<string>>>;
}

/**
 * Per joint service: the last outcome dictionary read of each department (when: performance.now()), and reads under
 * way.
 */
const dictionaries = new WeakMap<JointDeps, Kept>();

/**
 * A department's current outcome codes, read through its contract (`DepartmentOutcomes`), or the
 * last ones seen when it cannot be reached (null if never). A dictionary read within the last
 * OUTCOMES_FRESH_MS that holds every code asked for is used again; a code it lacks is looked up at
 * once (a department may have just added it). So a new outcome is never refused for staleness; an
 * outcome a department's own system removed may be accepted for up to 10 s, and its share is then
 * refused at delivery: REFUSED with the reason, sent again by a coordinator (retryRefused), never
 * lost. Submissions arriving together share one read.
 */
export async function outcomesOf(
  deps: JointDeps,
  department: string,
  wanted: readonly string[],
): Promise<Set<string> | null> {
  const cache = dictionaries.get(deps) ?? dictionaries.set(deps, { kept: new Map(), reading: new Map() }).get(deps)!;
  const kept = cache.kept.get(department);
  if (kept && performance.now() - kept.readAt < OUTCOMES_FRESH_MS && wanted.every((c) => kept.codes.has(c)))
    return kept.codes;
  // One that joined a read begun before it came, and still lacks a code, reads again (the code may
  // have been added meanwhile).
  for (let attempt = 0; ; attempt++) {
    const joined = cache.reading.has(department);
    const codes = await readOutcomes(deps, department, cache);
    if (codes === null || !joined || attempt > 0 || wanted.every((c) => codes.has(c))) return codes;
  }
}

async function readOutcomes(deps: JointDeps, department: string, cache: Kept): Promise<Set<string> | null> {
  let reading = cache.reading.get(department);
  if (!reading) {
    const readAt = performance.now();
    reading = deps.departments
      .run<Record<string, { outcomes: Array<{ code: string; status: string }> }>>(department, 'DepartmentOutcomes')
      .then((data) => {
        const codes = new Set(data[department]!.outcomes.filter((o) => o.status === 'CURRENT').map((o) => o.code));
        cache.kept.set(department, { codes, readAt });
        return codes;
      })
      .finally(() => cache.reading.delete(department));
    cache.reading.set(department, reading);
  }
  try {
    return await reading;
  } catch (error) {
    if ((error as HubError).extensions?.code !== ErrorCode.DOWNSTREAM_SERVICE_ERROR) throw error;
    return cache.kept.get(department)?.codes ?? null;
  }
}
