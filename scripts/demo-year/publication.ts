import { actors, type DemoApi } from './api';

/** A department's result as its own staff read it. */
export interface DepartmentResult {
  id: string;
  targetKey: string;
  itemCode: string;
  outcome: string;
  status: string;
}

/** Results one approval or publication names at most (the department contract's limit). */
const PER_CALL = 1000;

/** A department's results of a task, every status, read by its admin (R24, R30). */
export async function departmentResults(api: DemoApi, department: string, taskId: string): Promise<DepartmentResult[]> {
  const out: DepartmentResult[] = [];
  for (let after: string | null = null; ;) {
    const data: Record<string, { results: DepartmentResult[] }> = await api.call(
      `reading the ${department} results of task ${taskId}`,
      actors.admin(department),
      `query($taskId: ID!, $after: String) { ${department} { results(taskId: $taskId, first: ${PER_CALL}, ` +
        `after: $after) { id targetKey itemCode outcome status } } }`,
      { taskId, after },
    );
    const page = data[department]!.results;
    out.push(...page);
    if (page.length < PER_CALL) return out;
    after = page[page.length - 1]!.id;
  }
}

/**
 * Moves a department's results of some visits one step (R25), as its admin: approves the
 * RECORDED ones, or publishes the APPROVED ones; returns how many moved.
 */
export async function advanceResults(
  api: DemoApi,
  department: string,
  taskId: string,
  keys: ReadonlySet<string>,
  step: 'approve' | 'publish',
): Promise<number> {
  const from = step === 'approve' ? 'RECORDED' : 'APPROVED';
  const ids = (await departmentResults(api, department, taskId))
    .filter((r) => r.status === from && keys.has(r.targetKey))
    .map((r) => r.id);
  const mutation = `${department}${step === 'approve' ? 'ApproveResults' : 'PublishResults'}`;
  for (let i = 0; i < ids.length; i += PER_CALL) {
    await api.call(
      `${step === 'approve' ? 'approving' : 'publishing'} ${department} results of task ${taskId}`,
      actors.admin(department),
      `mutation($ids: [ID!]!) { ${mutation}(ids: $ids) { id } }`,
      { ids: ids.slice(i, i + PER_CALL) },
    );
  }
  return ids.length;
}

/**
 * A published result corrected by a new record, signed by the department's principal head (R28); returns the new
 * record's id.
 */
export async function correctResult(
  api: DemoApi,
  department: string,
  id: string,
  correction: { outcome: string; notes: string; reason: string },
): Promise<string> {
  const data = await api.call<Record<string, { id: string }>>(
    `correcting ${department} result ${id}`,
    actors.principalHead(department),
    `mutation($id: ID!, $outcome: String!, $notes: String, $reason: String!) { ${department}CorrectResult(id: ` +
      `$id, outcome: $outcome, notes: $notes, reason: $reason) { id } }`,
    { id, ...correction },
  );
  return data[`${department}CorrectResult`]!.id;
}
