import fs from 'node:fs';
import path from 'node:path';
import {
  Kind,
  parse,
  print,
  visit,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The stored operations: the named operations the hub's own services send, kept in one folder
 * (this one) that dashboards add to. The registry refuses a schema change that would break one
 * (issue C), so what is here is what the hub promises to keep working.
 *
 * - `departments/`: what the joint service sends to every department subgraph, written for the
 *   department code `example` (the contract's template code) and sent with the department's own
 *   code in its place. Checked against each department subgraph's own schema.
 * - `market/`: what the joint service sends to the market subgraph only.
 * - `gateway/`: reference operations clients send through the gateway; checked against the
 *   supergraph's API.
 * - `web/`: what the public page and the dashboard (`web/`, served by the gateway at `/`) send
 *   through the gateway; the page has no other access to data. Checked against the supergraph's
 *   API. One that names the department `example` (`isDepartmentTemplate`) is sent once per
 *   department with its code in place, and checked for every department.
 */
export type OperationTarget = 'departments' | 'market' | 'gateway' | 'web';
export const OPERATION_TARGETS: readonly OperationTarget[] = ['departments', 'market', 'gateway', 'web'];

/** The department code department operations are written for (as in `schema/contract.graphql`). */
export const TEMPLATE_CODE = 'example';

export interface StoredOperation {
  name: string;
  target: OperationTarget;
  /** Path relative to the operations folder. */
  file: string;
  /** The operation with the fragments it uses, as one document. */
  document: DocumentNode;
}

const pascal = (code: string) => code.charAt(0).toUpperCase() + code.slice(1);

/**
 * A department operation for one department: `example` in names becomes the code, and `Example`
 * its PascalCase (`exampleRecordResults` becomes `customsRecordResults`). Only names change.
 */
export function forDepartment(document: DocumentNode, code: string): DocumentNode {
  const rename = (name: string) =>
    name.replace(/^example(?=$|[A-Z])/, code).replace(/^Example(?=$|[A-Z])/, pascal(code));
  return visit(document, {
    Name: (node) => (rename(node.value) === node.value ? undefined : { ...node, value: rename(node.value) }),
  });
}

/** Whether an operation names the template department (`example`, `Example...`): it is sent once per department. */
export function isDepartmentTemplate(document: DocumentNode): boolean {
  let named = false;
  visit(document, {
    Name: (node) => {
      if (/^(example|Example)(?=$|[A-Z])/.test(node.value)) named = true;
    },
  });
  return named;
}

/** The folder: found from this file up, so it works from the sources and from `dist/`. */
export function defaultOperationsDir(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.basename(dir) === 'operations' ? dir : path.join(dir, 'operations');
    if (fs.existsSync(path.join(candidate, 'departments'))) return candidate;
    if (path.dirname(dir) === dir)
      throw new Error(`The stored operations folder (operations/) was not found above ${__dirname}.`);
  }
}

/**
 * Reads every `.graphql` file of the folder. Each operation must be named, and names are unique
 * across the folder (a name is how a refusal points at what would break).
 */
export function loadStoredOperations(dir = defaultOperationsDir()): StoredOperation[] {
  const out: StoredOperation[] = [];
  const seen = new Map<string, string>();
  for (const target of OPERATION_TARGETS) {
    const folder = path.join(dir, target);
    if (!fs.existsSync(folder)) continue;
    for (const fileName of fs
      .readdirSync(folder)
      .filter((f) => f.endsWith('.graphql'))
      .sort()) {
      const file = `${target}/${fileName}`;
      const document = parse(fs.readFileSync(path.join(folder, fileName), 'utf8'));
      const fragments = document.definitions.filter(
        (d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION,
      );
      for (const definition of document.definitions) {
        if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
        const name = definition.name?.value;
        if (!name)
          throw new Error(`${file}: every stored operation needs a name (it is how a breaking change is reported).`);
        if (seen.has(name))
          throw new Error(`${file}: the operation name ${name} is already used in ${seen.get(name)}.`);
        seen.set(name, file);
        out.push({
          name,
          target,
          file,
          document: { kind: Kind.DOCUMENT, definitions: [definition, ...fragmentsUsed(definition, fragments)] },
        });
      }
    }
  }
  return out;
}

/**
 * The fragments an operation spreads, directly or through other fragments (a document with an unused fragment is
 * invalid).
 */
function fragmentsUsed(
  operation: OperationDefinitionNode,
  fragments: readonly FragmentDefinitionNode[],
): FragmentDefinitionNode[] {
  const byName = new Map(fragments.map((f) => [f.name.value, f]));
  const used = new Set<string>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread: (spread) => {
        const name = spread.name.value;
        const fragment = byName.get(name);
        if (used.has(name) || !fragment) return;
        used.add(name);
        walk(fragment);
      },
    });
  walk(operation);
  return fragments.filter((f) => used.has(f.name.value));
}

let cache: Map<string, StoredOperation> | undefined;

/** One stored operation by name (from the default folder, read once). */
export function storedOperation(name: string): StoredOperation {
  cache ??= new Map(loadStoredOperations().map((o) => [o.name, o]));
  const operation = cache.get(name);
  if (!operation) throw new Error(`No stored operation named ${name} in operations/.`);
  return operation;
}

const printed = new Map<string, string>();

/** The text of a stored operation, for a department code when it is a department operation. */
export function operationText(name: string, code?: string): string {
  const key = `${name}\u0000${code ?? ''}`;
  let text = printed.get(key);
  if (text === undefined) {
    const operation = storedOperation(name);
    const template =
      operation.target === 'departments' || (operation.target === 'web' && isDepartmentTemplate(operation.document));
    text = print(template ? forDepartment(operation.document, code ?? TEMPLATE_CODE) : operation.document);
    printed.set(key, text);
  }
  return text;
}

/** The operation definition of a one-operation document. */
export function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
}
