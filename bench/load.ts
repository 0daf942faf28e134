import autocannon from 'autocannon';

/** One visit submission to send: its body and its inspector's token, and how many results it gives each department. */
export interface SubmissionRequest {
  body: string;
  token: string;
  resultsPerDepartment: Record<string, number>;
}

export interface LoadResult {
  sent: number;
  seconds: number;
  /** Submissions answered without error, per second, over the whole run. */
  perSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** HTTP answers other than 2xx, and 2xx answers carrying GraphQL errors (with the first few). */
  non2xx: number;
  graphqlErrors: number;
  errorSamples: string[];
  /** Results submitted per department (what the departments must end up holding). */
  submittedPerDepartment: Record<string, number>;
}

/**
 * Drives visit submissions through the gateway with autocannon: `connections` at once, each
 * submission sent once (a visit is submitted once), until all are answered. Latency and
 * throughput are autocannon's; GraphQL errors inside 200 answers are counted too.
 */
export async function submitThroughGateway(
  gatewayUrl: string | readonly string[],
  submissions: readonly SubmissionRequest[],
  connections: number,
): Promise<LoadResult> {
  if (typeof gatewayUrl !== 'string') return throughSeveral(gatewayUrl, submissions, connections);
  const url = new URL(gatewayUrl);
  const queue = [...submissions];
  // autocannon reports its duration in whole seconds: the run is timed here, to the millisecond.
  const started = performance.now();
  let graphqlErrors = 0;
  const errorSamples: string[] = [];
  const result = await autocannon({
    url: url.origin,
    connections: Math.min(connections, submissions.length),
    amount: submissions.length,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path: url.pathname,
        setupRequest: (request) => {
          const next = queue.shift()!;
          return {
            ...request,
            body: next.body,
            headers: { ...request.headers, 'content-type': 'application/json', authorization: `Bearer ${next.token}` },
          };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          const parsed = JSON.parse(body) as { errors?: Array<{ message: string }> };
          if (parsed.errors?.length) {
            graphqlErrors++;
            if (errorSamples.length < 5) errorSamples.push(parsed.errors[0]!.message);
          }
        },
      },
    ],
  });
  const submittedPerDepartment: Record<string, number> = {};
  for (const s of submissions)
    for (const [d, n] of Object.entries(s.resultsPerDepartment))
      submittedPerDepartment[d] = (submittedPerDepartment[d] ?? 0) + n;
  const seconds = (performance.now() - started) / 1000;
  const sent = result.requests.sent;
  const ok = result['2xx'] - graphqlErrors;
  return {
    sent,
    seconds,
    perSecond: ok / seconds,
    latencyMs: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx + result.errors + result.timeouts,
    graphqlErrors,
    errorSamples,
    submittedPerDepartment,
  };
}

/**
 * Issue L: the same load through several gateways at once, as a load balancer would spread it: the
 * submissions dealt out in turn, the connections shared, one autocannon per gateway, all started
 * together. The rate is of the whole (every answer over the time until the last); each latency
 * percentile is the highest of the gateways' (percentiles of parts do not add up to the whole's).
 */
async function throughSeveral(
  urls: readonly string[],
  submissions: readonly SubmissionRequest[],
  connections: number,
): Promise<LoadResult> {
  const started = performance.now();
  const parts = await Promise.all(
    urls.map((u, i) =>
      submitThroughGateway(
        u,
        submissions.filter((_, n) => n % urls.length === i),
        Math.max(1, Math.floor(connections / urls.length)),
      ),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const sum = (f: (r: LoadResult) => number) => parts.reduce((a, r) => a + f(r), 0);
  const ok = sum((r) => r.perSecond * r.seconds);
  const submittedPerDepartment: Record<string, number> = {};
  for (const r of parts)
    for (const [d, n] of Object.entries(r.submittedPerDepartment))
      submittedPerDepartment[d] = (submittedPerDepartment[d] ?? 0) + n;
  const highest = (k: keyof LoadResult['latencyMs']) => Math.max(...parts.map((r) => r.latencyMs[k]));
  return {
    sent: sum((r) => r.sent),
    seconds,
    perSecond: ok / seconds,
    latencyMs: { p50: highest('p50'), p90: highest('p90'), p99: highest('p99'), max: highest('max') },
    non2xx: sum((r) => r.non2xx),
    graphqlErrors: sum((r) => r.graphqlErrors),
    errorSamples: parts.flatMap((r) => r.errorSamples).slice(0, 5),
    submittedPerDepartment,
  };
}

/** The visit submissions of a task, one per visit, each by an inspector of its team. */
export function visitSubmissions(
  taskId: string,
  visits: ReadonlyArray<{
    key: string;
    team: Array<{ department: string; personId: string; kind: string }>;
    checklist: Array<{ department: string; itemCode: string }>;
  }>,
  tokenFor: (department: string, personId: string) => string,
): SubmissionRequest[] {
  return visits.map((v) => {
    const member = v.team.find((m) => m.kind === 'INSPECTOR')!;
    const results = v.checklist.map((c) => ({
      department: c.department,
      itemCode: c.itemCode,
      outcome: 'NO_PROBLEM',
      method: 'ON_SITE',
    }));
    const resultsPerDepartment: Record<string, number> = {};
    for (const c of v.checklist) resultsPerDepartment[c.department] = (resultsPerDepartment[c.department] ?? 0) + 1;
    return {
      body: JSON.stringify({
        query: 'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id } }',
        variables: { input: { taskId, targetKey: v.key, inspectedOn: '2026-03-04', results } },
      }),
      token: tokenFor(member.department, member.personId),
      resultsPerDepartment,
    };
  });
}

/** The results of a task each department holds, counted through the gateway. */
export async function storedPerDepartment(
  query: <T>(q: string, variables: Record<string, unknown>) => Promise<T>,
  taskId: string,
  departments: readonly string[],
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const d of departments) {
    out[d] = 0;
    let after: string | null = null;
    for (;;) {
      const data: Record<string, { results: Array<{ id: string }> }> = await query(
        `query($after: String) { ${d} { results(taskId: "${taskId}", first: 1000, after: $after) { id } } }`,
        { after },
      );
      const page = data[d]!.results;
      out[d] += page.length;
      if (page.length < 1000) break;
      after = page[page.length - 1]!.id;
    }
  }
  return out;
}
