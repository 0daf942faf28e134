import { operations } from 'virtual:stored-operations';
import type { WebOperationName, WebOperations } from './generated';
import { DEPARTMENT_CODE } from '../../../kernel/codes';
import { DEPARTMENT_PLACEHOLDER } from './placeholder';
import { currentSession, signOut } from './session';

/**
 * The page's only access to data: the stored operations of `operations/web/` sent to the
 * gateway's `/graphql`, by name, with the signed-in official's token when there is one.
 */
export interface GraphQLErrorBody {
  message: string;
  path?: ReadonlyArray<string | number>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** A request the hub refused or could not answer, with the hub's code and words. */
export class HubError extends Error {
  constructor(
    readonly code: string,
    readonly detail: string,
    readonly errors: GraphQLErrorBody[] = [],
  ) {
    super(`${code}: ${detail}`);
  }
}

/**
 * A part of an answer that came back empty: a field the caller may not read answers null with an
 * error (R30), which is the hub's refusal with its code; with no error, the thing was not found.
 */
export function partError(answer: { errors: readonly GraphQLErrorBody[] }, what: string): HubError {
  const first = answer.errors[0];
  return first
    ? new HubError(String(first.extensions?.code ?? 'ERROR'), first.message, [...answer.errors])
    : new HubError('NOT_FOUND', `未找到${what}。`);
}

/** A part of an answer, or the hub's refusal of it (`partError`). */
export function required<T>(
  answer: { errors: readonly GraphQLErrorBody[] },
  value: T | null | undefined,
  what: string,
): T {
  if (value === null || value === undefined) throw partError(answer, what);
  return value;
}

export interface Answer<T> {
  data: T | null;
  /** Errors of parts of the answer (a department that could not be reached); the rest is there. */
  errors: GraphQLErrorBody[];
}

const pascal = (code: string) => code.charAt(0).toUpperCase() + code.slice(1);
const placeholderPascal = pascal(DEPARTMENT_PLACEHOLDER);

/** An operation's text; a department template with the department's code in place. */
export function operationDocument(name: string, department?: string): string {
  const operation = operations[name];
  if (!operation) throw new Error(`No stored operation ${name} in operations/web/.`);
  if (!operation.template) return operation.text;
  if (!department || !DEPARTMENT_CODE.test(department))
    throw new Error(`${name} is sent once per department: name a department code.`);
  return operation.text
    .split(DEPARTMENT_PLACEHOLDER)
    .join(department)
    .split(placeholderPascal)
    .join(pascal(department));
}

/** What a stored operation answers (its generated type, web/src/api/generated.ts). */
export type ResultOf<N extends WebOperationName> = WebOperations[N]['result'];
/** What a stored operation takes. */
export type VariablesOf<N extends WebOperationName> = WebOperations[N]['variables'];

/** `run`'s options: a department template needs the department it is sent for. */
export type RunOptions<N extends WebOperationName> = {
  signal?: AbortSignal;
} & (WebOperations[N]['template'] extends true ? { department: string } : { department?: never });

/** `run`'s arguments after the name: the variables may be left out when none is required. */
export type RunArgs<N extends WebOperationName> =
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends V`: V has no required variable
  {} extends VariablesOf<N>
    ? [variables?: VariablesOf<N>, options?: RunOptions<N>]
    : [variables: VariablesOf<N>, options?: RunOptions<N>];

/**
 * Sends a stored operation: those of public.graphql as the public, the others with the
 * signed-in official's token. A refusal of the whole request (no data) throws a HubError with the
 * hub's code; partial answers come back with their errors. A token the hub no longer accepts
 * signs the page out, so the next request is the public's. The name types the variables and the
 * answer (generated from the schema, `npm run codegen`).
 */
export async function run<N extends WebOperationName>(
  name: N,
  ...[variables = {} as VariablesOf<N>, options = {} as RunOptions<N>]: RunArgs<N>
): Promise<Answer<ResultOf<N>>> {
  // operations/web/public.graphql goes as the public's, so the public page shows what the public sees.
  const session = operations[name]?.public ? null : currentSession();
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        ...(session ? { authorization: `Bearer ${session.token}` } : {}),
      },
      body: JSON.stringify({
        operationName: name,
        query: operationDocument(name, (options as { department?: string }).department),
        variables,
      }),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new HubError('NETWORK', '无法连接到服务器，请检查网络后重试。');
  }
  let body: { data?: ResultOf<N> | null; errors?: GraphQLErrorBody[] };
  try {
    body = (await response.json()) as typeof body;
  } catch {
    throw new HubError(`HTTP_${response.status}`, `服务器返回了无法读取的应答（HTTP ${response.status}）。`);
  }
  const errors = body.errors ?? [];
  if (errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED') && session) signOut('expired');
  if (body.data === undefined || body.data === null) {
    const first = errors[0];
    throw new HubError(
      first?.extensions?.code ?? `HTTP_${response.status}`,
      first?.message ?? `HTTP ${response.status}`,
      errors,
    );
  }
  return { data: body.data, errors };
}

/** The stored operations sent once per department (department templates). */
export type TemplateName = {
  [N in WebOperationName]: WebOperations[N]['template'] extends true ? N : never;
}[WebOperationName];

/** Sends a department template to every department at once; each answer or failure, by code. */
export async function runForDepartments<N extends TemplateName>(
  name: N,
  departments: readonly string[],
  variables: VariablesOf<N> = {} as VariablesOf<N>,
): Promise<Map<string, Answer<ResultOf<N>> | HubError>> {
  const send = run as (
    name: N,
    variables: VariablesOf<N>,
    options: { department: string },
  ) => Promise<Answer<ResultOf<N>>>;
  const settled = await Promise.allSettled(departments.map((department) => send(name, variables, { department })));
  return new Map(
    settled.map((s, i) => [
      departments[i]!,
      s.status === 'fulfilled'
        ? s.value
        : s.reason instanceof HubError
          ? s.reason
          : new HubError('NETWORK', String(s.reason)),
    ]),
  );
}
