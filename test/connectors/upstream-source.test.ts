import { UpstreamDataSource, type UpstreamRequest } from '../../connectors/core/upstream-source';
import { startHealthSystem, type HealthSystem } from '../../connectors/upstream/health-system/server';
import type { HubError } from '../../kernel/errors';

const KEY = 'test-key';

/** The connector's transport against the stand-in health system (a real HTTP server with its own data). */
class HealthSource extends UpstreamDataSource {
  constructor(
    url: string,
    private readonly key: string,
    timeoutMs = 2000,
  ) {
    super({ department: 'health', baseUrl: url, timeoutMs, retries: 2, backoffMs: 10 });
  }
  override willSendRequest(request: UpstreamRequest): void {
    request.headers['x-api-key'] = this.key;
  }
}

async function failure(promise: Promise<unknown>): Promise<HubError> {
  try {
    await promise;
  } catch (error) {
    return error as HubError;
  }
  throw new Error('expected a failure');
}

const units: UpstreamRequest = {
  method: 'GET',
  path: '/api/v2/units',
  query: { pageNo: 1, pageSize: 5 },
  headers: {},
  idempotent: true,
};

describe('the connector transport (UpstreamDataSource) against a REST system', () => {
  let system: HealthSystem;
  beforeAll(async () => {
    system = await startHealthSystem({ registerSeed: 'test-seed', registerSize: 400, apiKey: KEY });
  });
  afterAll(async () => {
    await system?.stop();
  });
  beforeEach(() => {
    system.calls.length = 0;
    system.faults.length = 0;
  });

  it('prepares each request with its hook (the API key) and reads the answer', async () => {
    const body = await new HealthSource(system.url, KEY).send<{
      data: { total: number; records: Array<{ credit_code: string }> };
    }>(units);
    expect(body.data.records).toHaveLength(5);
    expect(body.data.total).toBeGreaterThan(5);
    expect(system.calls).toHaveLength(1);
  });

  it('refused credentials are a DOWNSTREAM_SERVICE_ERROR for the operator, keeping the upstream status', async () => {
    const error = await failure(new HealthSource(system.url, 'wrong').send(units));
    expect(error.extensions).toMatchObject({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'health',
      upstreamStatus: 401,
    });
    expect(error.message).toContain("refused the hub's credentials");
  });

  it('an idempotent request that meets 503 is retried within the bound and then succeeds', async () => {
    system.faults.push({ path: /units/, times: 2, status: 503 });
    const body = await new HealthSource(system.url, KEY).send<{ data: { records: unknown[] } }>(units);
    expect(body.data.records).toHaveLength(5);
    expect(system.calls).toHaveLength(3);
  });

  it('past the bound, the failure is reported with the upstream status, never hung on', async () => {
    system.faults.push({ path: /units/, times: 5, status: 503 });
    const error = await failure(new HealthSource(system.url, KEY).send(units));
    expect(error.extensions).toMatchObject({
      code: 'DOWNSTREAM_SERVICE_ERROR',
      serviceName: 'health',
      upstreamStatus: 503,
    });
    expect(system.calls).toHaveLength(3);
  });

  it('an upstream that does not answer in time is given up on after the bound', async () => {
    system.faults.push({ path: /units/, times: 3, delayMs: 1000 });
    const error = await failure(new HealthSource(system.url, KEY, 200).send(units));
    expect(error.extensions).toMatchObject({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'health' });
    expect(error.message).toContain('no answer within 200 ms');
    expect(system.calls).toHaveLength(3);
  });

  it('a write without an idempotency guarantee is not retried; the upstream refusals keep their meaning', async () => {
    system.faults.push({ path: /results/, times: 1, status: 503 });
    const write: UpstreamRequest = {
      method: 'POST',
      path: '/api/v2/results',
      headers: { 'idempotency-key': 'k-1' },
      body: { a: 1 },
      idempotent: false,
    };
    const error = await failure(new HealthSource(system.url, KEY).send(write));
    expect(error.extensions).toMatchObject({ upstreamStatus: 503 });
    expect(system.calls).toHaveLength(1);
    expect(await new HealthSource(system.url, KEY).send(write)).toMatchObject({ data: { created: true } });
    expect(await new HealthSource(system.url, KEY).send(write)).toMatchObject({ data: { created: false } });
    const conflict = await failure(new HealthSource(system.url, KEY).send({ ...write, body: { a: 2 } }));
    expect(conflict.extensions).toMatchObject({ code: 'CONFLICT', upstreamStatus: 409 });
    const bad = await failure(new HealthSource(system.url, KEY).send({ ...write, headers: {} }));
    expect(bad.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstreamStatus: 400 });
    expect(bad.message).toContain('Idempotency-Key header required');
  });

  it('reports its health, and an unreachable upstream as down with the reason', async () => {
    expect(await new HealthSource(system.url, KEY).healthCheck()).toMatchObject({ ok: true, status: 200, error: null });
    const down = await new HealthSource('http://127.0.0.1:9', KEY).healthCheck();
    expect(down).toMatchObject({ ok: false, status: null });
    expect(down.error).toMatch(/could not be reached/);
  });
});
