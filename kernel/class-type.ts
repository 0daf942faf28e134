/**
 * A class, as type-graphql (resolvers, types) and TypeORM (entities, migrations) take them: in
 * place of the `Function` type, which would also take any plain function.
 */
export type ClassType = abstract new (...args: never[]) => unknown;
