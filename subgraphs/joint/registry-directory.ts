import { Role, type TokenIssuer } from '../../kernel/identity';
import type { Logger } from '../../kernel/log';
import type { DepartmentEndpoint } from './department-client';

/** The registry's subgraph name: the audience of the joint service's tokens to it (H2). */
const REGISTRY_SERVICE_NAME = 'registry';

/**
 * The departments as the registry holds them, for a joint service running in its own process:
 * read from the registry's API (`registrySubgraphs`) with the joint service's own token, at start
 * and then on an interval. When the registry cannot be reached the last list is kept.
 */
export class RegistryDirectory {
  private list: DepartmentEndpoint[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly registryUrl: string,
    private readonly issuer: TokenIssuer,
    private readonly logger: Logger,
    private readonly intervalMs = 5000,
  ) {}

  departments = (): readonly DepartmentEndpoint[] => this.list;

  async refresh(): Promise<void> {
    const token = await this.issuer.issueFor(
      REGISTRY_SERVICE_NAME,
      { subject: 'joint', role: Role.SERVICE, department: null },
      '5m',
    );
    const response = await fetch(this.registryUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ registrySubgraphs { name code departmentName url } }' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json()) as {
      data?: {
        registrySubgraphs: Array<{ name: string; code: string | null; departmentName: string | null; url: string }>;
      };
      errors?: Array<{ message: string }>;
    };
    if (!body.data)
      throw new Error(
        `the registry answered: ${body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`}`,
      );
    this.list = body.data.registrySubgraphs
      .filter((s) => s.code !== null)
      .map((s) => ({ code: s.code!, name: s.name, url: s.url, departmentName: s.departmentName }));
  }

  /** Reads the list now (waiting for the registry up to `waitMs`), then keeps it fresh. */
  async start(waitMs: number): Promise<void> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      try {
        await this.refresh();
        break;
      } catch (error) {
        if (Date.now() > deadline) throw error;
        this.logger.warn({ err: error }, 'registry not reachable yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, 2000));
      }
    }
    this.timer = setInterval(
      () =>
        void this.refresh().catch((error) =>
          this.logger.warn({ err: error }, 'registry not reachable; keeping the last department list'),
        ),
      this.intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}
