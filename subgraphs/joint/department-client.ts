import { operationText } from '../../operations';
import { ErrorCode, HubError } from '../../kernel/errors';
import { Role, type TokenIssuer } from '../../kernel/identity';
import { keptAliveFetcher } from '../../kernel/http-client';

/** Where a department's subgraph answers. */
export interface DepartmentEndpoint {
  code: string;
  /** The subgraph's registered name: the audience its tokens are made for (H2). */
  name: string;
  url: string;
  /** The department's name as registered (e.g. 市场监督管理局), for the papers the hub prints (issue J); absent: the code. */
  departmentName?: string | null;
}

/**
 * How the joint service reads departments: only through the department contract, over
 * GraphQL, with its own service identity (never through another department's database).
 * A department that cannot be reached or answers with errors is a DOWNSTREAM_SERVICE_ERROR
 * naming it.
 */
export class DepartmentClient {
  /** The joint service's token for each department's subgraph, by subgraph name (each accepts only its own, H2). */
  private readonly tokens = new Map<string, { value: string; expires: number }>();

  /** Kept-alive node:http to the departments (kernel/http-client.ts), each request bounded by `timeoutMs`. */
  private readonly post: ReturnType<typeof keptAliveFetcher>;

  constructor(
    private readonly endpoints: () => readonly DepartmentEndpoint[],
    private readonly issuer: TokenIssuer,
    timeoutMs = 60_000,
  ) {
    this.post = keptAliveFetcher(timeoutMs);
  }

  /** The department codes the hub knows. */
  departments(): string[] {
    return this.endpoints().map((e) => e.code);
  }

  /** A department's name as registered, or its code when it has none. */
  displayName(code: string): string {
    return this.endpoints().find((e) => e.code === code)?.departmentName ?? code;
  }

  has(code: string): boolean {
    return this.endpoints().some((e) => e.code === code);
  }

  private async serviceToken(subgraph: string): Promise<string> {
    const now = Date.now();
    let token = this.tokens.get(subgraph);
    if (!token || token.expires - now < 60_000) {
      token = {
        value: await this.issuer.issueFor(subgraph, { subject: 'joint', role: Role.SERVICE, department: null }, '15m'),
        expires: now + 15 * 60_000,
      };
      this.tokens.set(subgraph, token);
    }
    return token.value;
  }

  private async query<T>(
    department: string,
    query: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<T> {
    const endpoint = this.endpoints().find((e) => e.code === department);
    if (!endpoint)
      throw new HubError(ErrorCode.BAD_USER_INPUT, `No department '${department}' is registered with the hub.`, {
        field: 'department',
      });
    let body: { data?: T; errors?: Array<{ message: string; extensions?: { code?: string } }> };
    try {
      const response = await this.post(endpoint.url, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          authorization: `Bearer ${await this.serviceToken(endpoint.name)}`,
        },
        body: JSON.stringify({ query, variables }),
      });
      body = (await response.json()) as typeof body;
      if (!response.ok && !body.errors) throw new Error(`HTTP ${response.status}`);
    } catch (error) {
      throw new HubError(
        ErrorCode.DOWNSTREAM_SERVICE_ERROR,
        `The ${department} department could not be reached (${(error as Error).message}); nothing was ` +
          `changed. Try again when it is back.`,
        {
          serviceName: department,
        },
      );
    }
    if (body.errors?.length) {
      const first = body.errors[0]!;
      throw new HubError(
        ErrorCode.DOWNSTREAM_SERVICE_ERROR,
        `The ${department} department answered: ${first.message}`,
        { serviceName: department, upstreamCode: first.extensions?.code },
      );
    }
    return body.data as T;
  }

  /**
   * Runs a stored operation (operations/) against a department: a department operation is sent
   * with the department's code in place of the template's. The registry refuses schema changes
   * that would break these, so the joint service sends nothing else. `headers` go along (a
   * delivery's `traceparent`, issue L).
   */
  run<T>(
    department: string,
    operation: string,
    variables: Record<string, unknown> = {},
    headers: Record<string, string> = {},
  ): Promise<T> {
    return this.query<T>(department, operationText(operation, department), variables, headers);
  }

  /**
   * Every item of a paged stored operation (`{ <code> { <field>(first, after) { <list> endCursor hasMore } } }`),
   * page after page.
   */
  async pages<T>(department: string, operation: string, field: string, list: string, pageSize = 1000): Promise<T[]> {
    const out: T[] = [];
    let after: string | null = null;
    for (;;) {
      const data: Record<string, Record<string, Record<string, unknown>>> = await this.run(department, operation, {
        first: pageSize,
        after,
      });
      const page = data[department]![field]! as { endCursor: string | null; hasMore: boolean } & Record<string, T[]>;
      out.push(...page[list]!);
      if (!page.hasMore) return out;
      after = page.endCursor;
    }
  }
}
