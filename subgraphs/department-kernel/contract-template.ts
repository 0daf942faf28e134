import { printSubgraphSchema } from '@apollo/subgraph';
import { defineDepartment } from './define';

/** The department code the contract is written for; a department replaces it with its own. */
export const CONTRACT_TEMPLATE_CODE = 'example';

let example: ReturnType<typeof defineDepartment> | undefined;
let sdl: Promise<string> | undefined;

/**
 * The department contract as SDL: the kernel alone under the code `example`, exactly what a
 * department must provide (DESIGN.md). `schema/contract.graphql` is this text with a header;
 * the registry checks every department subgraph against it with the department's code put in.
 */
export function contractTemplateSdl(): Promise<string> {
  example ??= defineDepartment({
    code: CONTRACT_TEMPLATE_CODE,
    name: 'Example department',
    // The workspace's CSV import is the hub's own departments', not the contract's.
    csvImport: false,
    demo: {
      checklist: [],
      domains: [],
      unit: (d) => d,
      certificateCode: 'EX',
      inspectors: 0,
      experts: 0,
      onRoster: () => false,
    },
  });
  const department = example;
  return (sdl ??= department.buildSchema().then((schema) => printSubgraphSchema(schema)));
}
