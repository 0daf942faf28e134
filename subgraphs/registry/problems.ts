/**
 * Why the registry refused a change, one entry per problem, each in words a department's
 * developer can act on and with the place it is about (subgraph, type, field, operation).
 */
export const ProblemKind = {
  /** The subgraph's SDL could not be fetched, or does not build. */
  FETCH: 'FETCH',
  /** The subgraphs do not compose (@apollo/composition). */
  COMPOSITION: 'COMPOSITION',
  /** A department subgraph does not provide the department contract. */
  CONTRACT: 'CONTRACT',
  /** A stored operation (operations/) would break. */
  OPERATION: 'OPERATION',
  /** Other subgraphs depend on what would be removed. */
  DEPENDENCY: 'DEPENDENCY',
} as const;
export type ProblemKind = (typeof ProblemKind)[keyof typeof ProblemKind];

export interface Problem {
  kind: ProblemKind;
  message: string;
  subgraph?: string | null;
  type?: string | null;
  field?: string | null;
  operation?: string | null;
}
