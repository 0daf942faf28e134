import { Role, type TokenIssuer } from '../../kernel/identity';

/** Who makes a call: a role of the hub, with its department and subject; `null` is the public. */
export interface Actor {
  role: Role;
  department: string | null;
  subject: string;
}

/** The officials of the demo year, each with a stable subject (the audit trail names them, R29). */
export const actors = {
  coordinator: (department: string): Actor => ({
    role: Role.COORDINATOR,
    department,
    subject: `demo-${department}-coordinator`,
  }),
  admin: (department: string): Actor => ({ role: Role.DEPT_ADMIN, department, subject: `demo-${department}-admin` }),
  principalHead: (department: string): Actor => ({
    role: Role.PRINCIPAL_HEAD,
    department,
    subject: `demo-${department}-principal-head`,
  }),
  /** An inspector's token names the inspector: its subject is the person id of the roster (R30). */
  inspector: (department: string, personId: string): Actor => ({ role: Role.INSPECTOR, department, subject: personId }),
  auditor: (): Actor => ({ role: Role.AUDITOR, department: null, subject: 'demo-auditor' }),
};

interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: Array<{ message: string; extensions?: Record<string, unknown> }>;
}

/** How many times a call refused for the rate limit is sent again (after the wait the gateway names). */
const RATE_LIMIT_RETRIES = 5;

/**
 * How many times a call the hub answers `retryable` (UNAVAILABLE: a passing database fault, nothing stored) is sent
 * again.
 */
const TRANSIENT_RETRIES = 3;

/**
 * The demo year's client of the gateway: every call goes through the public GraphQL API with a
 * token of the role that makes it in reality, signed by the hub's issuer, exactly as the officials'
 * own systems would send it. A call the gateway limits (RATE_LIMITED) is sent again after the wait
 * it names, one that failed on a passing database fault (`retryable`: nothing was stored) a few
 * times after a short wait; any other error stops the demo year with the step and the hub's message.
 */
export class DemoApi {
  private readonly tokens = new Map<string, Promise<string>>();

  constructor(
    private readonly gatewayUrl: string,
    private readonly issuer: TokenIssuer,
    private readonly log: (line: string) => void,
  ) {}

  private token(actor: Actor): Promise<string> {
    const key = `${actor.role}/${actor.department ?? ''}/${actor.subject}`;
    let token = this.tokens.get(key);
    if (!token)
      this.tokens.set(
        key,
        (token = this.issuer.issue({ subject: actor.subject, role: actor.role, department: actor.department })),
      );
    return token;
  }

  /** Sends an operation as `actor` (null: the public) and returns its data, or throws naming `step`. */
  async call<T>(step: string, actor: Actor | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (actor) headers.authorization = `Bearer ${await this.token(actor)}`;
    for (let attempt = 0; ; attempt++) {
      const response = await fetch(this.gatewayUrl, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      });
      const answer = (await response.json().catch(() => ({
        errors: [{ message: `HTTP ${response.status} ${response.statusText}` }],
      }))) as GraphQLAnswer<T>;
      const limited = answer.errors?.find((e) => e.extensions?.code === 'RATE_LIMITED');
      if (limited && attempt < RATE_LIMIT_RETRIES) {
        const seconds = Number(limited.extensions?.retryAfterSeconds ?? 5);
        this.log(`  (the gateway limits ${actor?.subject ?? 'anonymous'}'s mutations: waiting ${seconds} s)`);
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        continue;
      }
      // The hub says when a call failed on a passing fault and stored nothing: send it again, as its README asks of
      // clients.
      const transient = answer.errors?.length && answer.errors.every((e) => e.extensions?.retryable === true);
      if (transient && attempt < TRANSIENT_RETRIES) {
        this.log(`  (${step}: ${answer.errors![0]!.message} Sending it again.)`);
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
        continue;
      }
      if (answer.errors?.length || !answer.data) {
        const what = (answer.errors ?? [{ message: 'no data' }])
          .map((e) => `${e.message}${e.extensions?.code ? ` (${String(e.extensions.code)})` : ''}`)
          .join('; ');
        throw new Error(
          `Demo year, ${step}, as ` +
            (`${actor ? `${actor.role}${actor.department ? ` of ${actor.department}` : ''} ${actor.subject}` : 'the public'}: ` +
              `` +
              `` +
              ``) +
            `${what}`,
        );
      }
      return answer.data;
    }
  }
}
