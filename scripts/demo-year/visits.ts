import { actors, type Actor, type DemoApi } from './api';
import type { ChecklistEntry, ItemResult } from './results';

/** A visit of a locked task with its team and combined checklist (R18, R22), read by the lead's coordinator. */
export interface DemoVisit {
  key: string;
  uscc: string | null;
  position: number;
  team: Array<{
    department: string;
    kind: string;
    personId: string;
    leader: boolean;
    status: string;
    certificateNo: string | null;
  }>;
  checklist: ChecklistEntry[];
}

const PAGE = 200;

/** Every visit of a task in the drawn order (R15), as the lead department's coordinator follows them. */
export async function readVisits(api: DemoApi, lead: string, taskId: string): Promise<DemoVisit[]> {
  const visits: DemoVisit[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const data = await api.call<{ jointTask: { visits: DemoVisit[] } }>(
      `reading the visits of task ${taskId}`,
      actors.coordinator(lead),
      `query($id: ID!, $offset: Int!, $first: Int!) { jointTask(id: $id) { visits(offset: $offset, first: $first) {
         key uscc position team { department kind personId leader status certificateNo } checklist { department itemCode method } } } }`,
      { id: taskId, offset, first: PAGE },
    );
    visits.push(...data.jointTask.visits);
    if (data.jointTask.visits.length < PAGE) return visits;
  }
}

/**
 * The inspector who records a visit: the team leader (the lead department's first inspector,
 * R18), else the first active inspector; null when the team has fewer than two enforcement
 * officers and so may not inspect (R18).
 */
export function recorder(visit: DemoVisit): Actor | null {
  const officers = visit.team.filter((m) => m.kind === 'INSPECTOR' && m.status === 'ACTIVE' && m.certificateNo);
  if (new Set(officers.map((m) => m.certificateNo)).size < 2) return null;
  const who = officers.find((m) => m.leader) ?? officers[0]!;
  return actors.inspector(who.department, who.personId);
}

/** The inspection code of a visit, issued by its team at the door (R32: code first). */
export async function issueCode(api: DemoApi, inspector: Actor, taskId: string, visit: DemoVisit): Promise<string> {
  const data = await api.call<{ jointIssueInspectionCode: string }>(
    `issuing the inspection code of ${visit.key}`,
    inspector,
    'mutation($taskId: ID!, $key: String!) { jointIssueInspectionCode(taskId: $taskId, targetKey: $key) }',
    { taskId, key: visit.key },
  );
  return data.jointIssueInspectionCode;
}

/** The team submits every item of a visit in one mutation (R22, R24). */
export async function submitVisit(
  api: DemoApi,
  inspector: Actor,
  taskId: string,
  visit: DemoVisit,
  inspectedOn: string,
  results: ItemResult[],
): Promise<void> {
  await api.call(
    `submitting the results of ${visit.key}`,
    inspector,
    'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
    {
      input: { taskId, targetKey: visit.key, inspectedOn, results },
    },
  );
}

/** A business rates its visit against the inspection code (R32): no sign-in. */
export async function rateVisit(api: DemoApi, code: string, rating: number, comment: string): Promise<void> {
  await api.call(
    `rating the visit of code ${code}`,
    null,
    'mutation($code: String!, $rating: Int!, $comment: String) { jointRateVisit(code: $code, rating: ' +
      '$rating, comment: $comment) }',
    { code, rating, comment },
  );
}

interface DeliveryState {
  key: string;
  submission: {
    deliveries: Array<{ department: string; status: string; attempts: number; lastError: string | null }>;
  } | null;
}

/**
 * Waits until every department's share of the given visits' submissions is DELIVERED (R24), read
 * through `Visit.submission.deliveries` by the lead's coordinator; `deliver` (when given) is
 * asked to run a delivery round before each look, for a hub whose deliverer runs on no timer.
 * A share the department refused, or one still pending at the timeout, stops the demo year with
 * what the delivery says.
 */
export async function untilDelivered(
  api: DemoApi,
  lead: string,
  taskId: string,
  visits: readonly DemoVisit[],
  options: { deliver?: () => Promise<unknown>; timeoutMs: number },
): Promise<void> {
  if (visits.length === 0) return;
  const keys = new Set(visits.map((v) => v.key));
  const from = Math.min(...visits.map((v) => v.position)) - 1;
  const to = Math.max(...visits.map((v) => v.position));
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    await options.deliver?.();
    const waiting: string[] = [];
    for (let offset = from; offset < to; offset += PAGE) {
      const data = await api.call<{ jointTask: { visits: DeliveryState[] } }>(
        `following the deliveries of task ${taskId}`,
        actors.coordinator(lead),
        'query($id: ID!, $offset: Int!, $first: Int!) { jointTask(id: $id) { visits(offset: $offset, first: ' +
          '$first) { key submission { deliveries { department status attempts lastError } } } } }',
        { id: taskId, offset, first: Math.min(PAGE, to - offset) },
      );
      for (const v of data.jointTask.visits.filter((x) => keys.has(x.key))) {
        for (const d of v.submission?.deliveries ?? []) {
          if (d.status === 'REFUSED')
            throw new Error(
              `Demo year: the ${d.department} department refused the results of ${v.key} (task ${taskId}): ` +
                `${d.lastError ?? 'no reason given'}.`,
            );
          if (d.status !== 'DELIVERED')
            waiting.push(
              `${v.key} to ${d.department} (${d.status}, ${d.attempts} ` +
                `attempts${d.lastError ? `, last error: ${d.lastError}` : ''})`,
            );
        }
      }
    }
    if (waiting.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Demo year: ${waiting.length} result deliveries of task ${taskId} are not DELIVERED after ` +
          `${options.timeoutMs / 1000} s, e.g. ${waiting.slice(0, 3).join('; ')}. Is the joint service's ` +
          `deliverer running, and every department up?`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
