import { Role } from '../../../kernel/identity';
import { f, NO_DEPARTMENT } from './fixtures';
import { anyOf, hubRole, signedIn, staffOf, type Entry } from './model';

/*
 * The registry's fields in the role matrix (R30): signed-in staff and services read it; a
 * department admin registers and checks only its own department's subgraph; a hub admin any, and
 * only a hub admin removes subgraphs and rolls back.
 */

const registryReader = (field: string, operation: string): Entry => ({
  fields: [`Query.${field}`],
  // Signed-in staff and services; the public may not (it holds internal URLs).
  allow: signedIn,
  departments: NO_DEPARTMENT,
  operation,
});
const registrar = anyOf(hubRole(Role.HUB_ADMIN), staffOf('tax', Role.DEPT_ADMIN));

export const REGISTRY: Entry[] = [
  {
    fields: ['Query.registryDepartments'],
    public: 'the public page asks each department for published results (R25); codes and names only, no URL',
    departments: NO_DEPARTMENT,
    operation: '{ registryDepartments { code name } }',
  },
  registryReader('registrySubgraphs', '{ registrySubgraphs { name url } }'),
  registryReader('registryVersions', '{ registryVersions(first: 2) { number } }'),
  registryReader(
    'registryVersionPage',
    '{ registryVersionPage(first: 2) { nodes { number } pageInfo { hasNextPage } totalCount } }',
  ),
  registryReader('registryVersion', '{ registryVersion(number: 1) { number supergraphHash } }'),
  registryReader('registryDiff', '{ registryDiff(from: 1, to: 1) { addedFields } }'),
  registryReader('registryHealth', '{ registryHealth { name status } }'),
  {
    fields: ['Mutation.registryCheckSubgraph'],
    // A department admin checks and registers its own department's subgraph; a hub admin any.
    allow: registrar,
    departments: ['tax', 'fire'],
    operation: 'mutation($input: SubgraphRegistrationInput!) { registryCheckSubgraph(input: $input) { ok unchanged } }',
    variables: () => ({ input: f.registration }),
  },
  {
    fields: ['Mutation.registryRegisterSubgraph'],
    allow: registrar,
    departments: ['tax', 'fire'],
    operation:
      'mutation($input: SubgraphRegistrationInput!) { registryRegisterSubgraph(input: $input) { changed ' +
      'version { number } } }',
    variables: () => ({ input: f.registration }),
  },
  {
    fields: ['Mutation.registryRemoveSubgraph'],
    allow: hubRole(Role.HUB_ADMIN),
    departments: ['fire', 'tax'],
    operation:
      'mutation { registryRemoveSubgraph(name: "fire", force: true, note: "R30 矩阵") { changed version { number } } }',
    last: true,
  },
  {
    fields: ['Mutation.registryRollback'],
    allow: hubRole(Role.HUB_ADMIN),
    departments: ['fire', 'tax'],
    operation: 'mutation { registryRollback(version: 1, note: "R30 矩阵：恢复") { changed version { number } } }',
    last: true,
  },
];
