import { HubError, run, runForDepartments, type Answer, type ResultOf } from './client';
import { loadDepartments, loadDictionaries, type Dictionary } from './departments';
import { followPages } from './pages';
import type { Department, PublicEntity, PublishedResult } from './types';

/** A published result with the words that name it, and its place in a correction chain (R28). */
export interface ResultEntry {
  result: PublishedResult;
  departmentName: string;
  itemTitle: string | null;
  itemBasis: string | null;
  itemContent: string | null;
  outcomeLabel: string;
  /** The newer record that corrects this one (R28): this one is kept, no longer in force. */
  correctedBy: ResultEntry | null;
  /** The older record this one corrects. */
  corrects: ResultEntry | null;
}

/** One visit's results: a task's check of the target, ended on one day (R22). */
export interface VisitResults {
  taskId: string;
  taskName: string | null;
  inspectedOn: string;
  /** Results in force (the newest of each correction chain), by department then item. */
  entries: ResultEntry[];
}

export interface EntityResults {
  entity: PublicEntity | null;
  departments: Department[];
  visits: VisitResults[];
  /** Departments whose results could not be read, with why; the others' are shown. */
  failures: Array<{ department: Department; error: HubError }>;
  /** Every entry by department and id, for the detail page. */
  byId: Map<string, ResultEntry>;
}

/** The key of a result across departments (ids are a department's own). */
export const entryKey = (department: string, id: string) => `${department}/${id}`;

function describe(result: PublishedResult, department: Department, dictionary: Dictionary | null): ResultEntry {
  const item = dictionary?.item(result.itemCode, result.itemVersion);
  return {
    result,
    departmentName: department.name ?? department.code,
    itemTitle: item?.title ?? null,
    itemBasis: item?.basis ?? null,
    itemContent: item?.content ?? null,
    outcomeLabel: dictionary?.outcome(result.outcome)?.label ?? result.outcome,
    correctedBy: null,
    corrects: null,
  };
}

type PublishedPageAnswer = ResultOf<'DepartmentPublishedResults'>;

/** The error of a department's part of an answer, or of the whole of it. */
const partError = (answer: Answer<PublishedPageAnswer>) =>
  new HubError(String(answer.errors[0]?.extensions?.code ?? 'ERROR'), answer.errors[0]?.message ?? '');

/**
 * Every published result of a target at one department: its first page, then the next while there are more
 * (`followPages`).
 */
async function allPublished(
  code: string,
  uscc: string,
  first: Answer<PublishedPageAnswer> | HubError,
  signal?: AbortSignal,
): Promise<PublishedResult[] | HubError> {
  const part = (answer: Answer<PublishedPageAnswer>) => {
    const page = answer.data?.[code]?.publishedResultPage;
    if (!page) throw partError(answer);
    return page;
  };
  try {
    if (first instanceof HubError) return first;
    return await followPages(part(first), async (after) =>
      part(await run('DepartmentPublishedResults', { uscc, after }, { department: code, signal })),
    );
  } catch (error) {
    return error instanceof HubError ? error : new HubError('NETWORK', String(error));
  }
}

/**
 * Everything published about one target: its registration data and every department's
 * published results (R25), asked of each department at once; a department that cannot answer is
 * named, and the others' results are shown.
 */
export async function loadEntityResults(uscc: string, signal?: AbortSignal): Promise<EntityResults> {
  const [entityAnswer, departments] = await Promise.all([run('EntityByUscc', { uscc }, { signal }), loadDepartments()]);
  const answers = await runForDepartments(
    'DepartmentPublishedResults',
    departments.map((d) => d.code),
    { uscc },
  );
  const failures: EntityResults['failures'] = [];
  const found: Array<{ department: Department; results: PublishedResult[] }> = [];
  await Promise.all(
    departments.map(async (department) => {
      const results = await allPublished(department.code, uscc, answers.get(department.code)!, signal);
      if (results instanceof HubError) failures.push({ department, error: results });
      else found.push({ department, results });
    }),
  );
  const listed = new Map(departments.map((d, i) => [d.code, i]));
  failures.sort((a, b) => listed.get(a.department.code)! - listed.get(b.department.code)!);
  found.sort((a, b) => listed.get(a.department.code)! - listed.get(b.department.code)!);
  const dictionaries = await loadDictionaries(found.filter((f) => f.results.length > 0).map((f) => f.department.code));
  const byId = new Map<string, ResultEntry>();
  for (const { department, results } of found) {
    const dictionary = dictionaries.get(department.code);
    for (const result of results)
      byId.set(
        entryKey(department.code, result.id),
        describe(result, department, dictionary instanceof HubError ? null : (dictionary ?? null)),
      );
  }
  // R28: a correction points at the record it corrects; both stay published.
  for (const entry of byId.values()) {
    if (!entry.result.correctsId) continue;
    const older = byId.get(entryKey(entry.result.department, entry.result.correctsId));
    if (older) {
      older.correctedBy = entry;
      entry.corrects = older;
    }
  }
  const current = [...byId.values()].filter((e) => e.correctedBy === null);
  const taskIds = [...new Set(current.map((e) => e.result.taskId))];
  const names = new Map(
    await Promise.all(
      taskIds.map(async (id) => {
        try {
          return [id, (await run('TaskName', { id }, { signal })).data!.jointTask?.name ?? null] as const;
        } catch {
          return [id, null] as const;
        }
      }),
    ),
  );
  const visits = new Map<string, VisitResults>();
  for (const entry of current) {
    const key = `${entry.result.taskId}\u0000${entry.result.inspectedOn}`;
    const visit = visits.get(key) ?? {
      taskId: entry.result.taskId,
      taskName: names.get(entry.result.taskId) ?? null,
      inspectedOn: entry.result.inspectedOn,
      entries: [],
    };
    visit.entries.push(entry);
    visits.set(key, visit);
  }
  const order = new Map(departments.map((d, i) => [d.code, i]));
  const sorted = [...visits.values()].sort((a, b) =>
    a.inspectedOn < b.inspectedOn ? 1 : a.inspectedOn > b.inspectedOn ? -1 : a.taskId.localeCompare(b.taskId),
  );
  for (const v of sorted)
    v.entries.sort(
      (a, b) =>
        (order.get(a.result.department) ?? 0) - (order.get(b.result.department) ?? 0) ||
        a.result.itemCode.localeCompare(b.result.itemCode),
    );
  return { entity: entityAnswer.data!.marketEntity, departments, visits: sorted, failures, byId };
}

/** The correction chain of an entry, oldest first (R28). */
export function history(entry: ResultEntry): ResultEntry[] {
  const chain: ResultEntry[] = [];
  let at: ResultEntry | null = entry;
  while (at?.corrects) at = at.corrects;
  for (; at; at = at.correctedBy) chain.push(at);
  return chain;
}

const recent = new Map<string, { at: number; value: Promise<EntityResults> }>();

/** The same, kept for a minute: opening a result and going back asks the hub once. */
export function entityResults(uscc: string): Promise<EntityResults> {
  const kept = recent.get(uscc);
  if (kept && Date.now() - kept.at < 60_000) return kept.value;
  const value = loadEntityResults(uscc);
  value.catch(() => recent.delete(uscc));
  recent.set(uscc, { at: Date.now(), value });
  return value;
}
