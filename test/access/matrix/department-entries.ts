import { Role } from '../../../kernel/identity';
import { BUILTIN_DEPARTMENTS } from '../../../subgraphs';
import { DEPARTMENT_CODES } from '../../support/hub';
import { capitalised, f, resultInput } from './fixtures';
import { anyOf, coordinatorOfAnyDepartment, hubReaders, hubRole, nobody, staffOf, type Entry } from './model';

/*
 * The department fields of the role matrix (R30): the department contract is the same for every
 * department, so its entries are written once, for the template, and expanded per code; then what
 * some departments add of their own.
 */

/** The template of every department (market, tax, environment, housing, fire, health), expanded per code. */
export function departmentEntries(code: string): Entry[] {
  const Type = `${capitalised(code)}Query`;
  const other = DEPARTMENT_CODES[(DEPARTMENT_CODES.indexOf(code) + 1) % DEPARTMENT_CODES.length]!;
  const departments = [code, other];
  const d = () => f.departments[code]!;
  // R30: a department's data is written by its own admin only; hub admins do not write it.
  const admin = staffOf(code, Role.DEPT_ADMIN);
  // A department on a connector keeps its roster and checklist in its existing system: nobody
  // changes them through the hub, its own admin included (they are changed there).
  const onConnector =
    BUILTIN_DEPARTMENTS.find((m) => m.definition.code === code)?.definition.existingSystem !== undefined;
  const rosterWriter = onConnector ? nobody : admin;
  // R30: rosters are read by the department's own staff, hub admins, auditors and hub services.
  const rosterReaders = anyOf(staffOf(code), hubReaders);
  // R30: a view holds internal classes: own staff, coordinators of any department (they plan), hub roles.
  const viewReaders = anyOf(staffOf(code), coordinatorOfAnyDepartment, hubReaders);
  const roster = (field: string, selection: string, args = ''): Entry => ({
    fields: [`${Type}.${field}`],
    allow: rosterReaders,
    departments,
    operation: `{ ${code} { ${field}${args} { ${selection} } } }`,
  });
  return [
    {
      fields: [`Mutation.${code}AddChecklistItem`],
      allow: rosterWriter,
      departments,
      operation:
        `mutation($code: String!, $input: ChecklistItemInput!) { ${code}AddChecklistItem(code: $code, input: ` +
        `$input) { code version } }`,
      variables: () => ({ code: d().newItem.code, input: d().newItem.input }),
    },
    {
      fields: [`Mutation.${code}ReviseChecklistItem`],
      allow: rosterWriter,
      departments,
      operation:
        `mutation($code: String!, $input: ChecklistItemInput!) { ${code}ReviseChecklistItem(code: $code, input: ` +
        `$input, reason: "2026年修订的条例（R30 矩阵）") { code version } }`,
      variables: () => ({ code: d().revise.code, input: d().revise.input }),
    },
    {
      fields: [`Mutation.${code}RepealChecklistItem`],
      allow: rosterWriter,
      departments,
      operation:
        `mutation($code: String!) { ${code}RepealChecklistItem(code: $code, reason: "依据已废止（R30 矩阵）") { code ` +
        `status } }`,
      variables: () => ({ code: d().repealCode }),
    },
    {
      fields: [`Mutation.${code}ImportTargets`],
      allow: rosterWriter,
      departments,
      operation: `mutation($targets: [RosterTargetInput!]!) { ${code}ImportTargets(targets: $targets) }`,
      variables: () => {
        const { id: _id, ...row } = d().target;
        return { targets: [row] };
      },
    },
    // The workspace's CSV import (issue I, R6): the hub's own departments only (not on a connector,
    // not in the contract); the department's own admin imports; the row is the roster's own, so
    // every allowed call stores nothing new.
    ...(onConnector
      ? []
      : [
          {
            fields: [`Mutation.${code}ImportCsv`],
            allow: admin,
            departments,
            operation:
              `mutation($csv: String!) { ${code}ImportCsv(kind: "targets", csv: $csv) { read imported ` +
              `rejectedCount } }`,
            variables: () => {
              const t = d().target;
              const columns = [
                'kind',
                'uscc',
                'name',
                'regionCode',
                'industryCode',
                'creditLevel',
                'riskLevel',
                'penaltiesLast3Years',
                'verifiedComplaints',
              ];
              return {
                csv: `${columns.join(',')}\n${columns.map((c) => `"${String(t[c] ?? '').replace(/"/g, '""')}"`).join(',')}\n`,
              };
            },
          } satisfies Entry,
        ]),
    {
      fields: [`Mutation.${code}RecordResults`],
      // R24: results reach a department through the joint service's write-back only.
      allow: hubRole(Role.SERVICE),
      departments,
      operation: `mutation($input: [ResultInput!]!) { ${code}RecordResults(input: $input) { resultId created } }`,
      variables: () => ({ input: [resultInput(code, `r30-matrix-${code}`)] }),
    },
    {
      fields: [`Mutation.${code}ApproveResults`],
      allow: admin, // R25
      departments,
      operation: `mutation($ids: [ID!]!) { ${code}ApproveResults(ids: $ids) { id status } }`,
      variables: () => ({ ids: [d().recorded] }),
    },
    {
      fields: [`Mutation.${code}PublishResults`],
      allow: admin, // R25
      departments,
      operation: `mutation($ids: [ID!]!) { ${code}PublishResults(ids: $ids) { id status } }`,
      variables: () => ({ ids: [d().approved] }),
    },
    {
      fields: [`Mutation.${code}DefineOutcome`],
      allow: admin,
      departments,
      operation: `mutation { ${code}DefineOutcome(code: "R30_MATRIX", label: "矩阵测试结论") { code version } }`,
    },
    {
      fields: [`Mutation.${code}CorrectResult`],
      allow: staffOf(code, Role.PRINCIPAL_HEAD), // R28
      departments,
      operation:
        `mutation($id: ID!) { ${code}CorrectResult(id: $id, outcome: "NO_PROBLEM", reason: "经复核，原记录有误（R30 矩阵）") ` +
        `{ id correctsId } }`,
      variables: () => ({ id: d().published }),
    },
    {
      fields: [`Query.${code}`, `${Type}.contractVersion`],
      public: 'the namespace itself carries no data',
      departments,
      operation: `{ ${code} { contractVersion } }`,
    },
    {
      fields: [`${Type}.checklist`],
      public: 'checklists are published, every version (R5)',
      departments,
      operation: `{ ${code} { checklist(includeHistory: true) { code version status } } }`,
    },
    {
      fields: [`${Type}.checklistItem`],
      public: 'checklists are published (R5)',
      departments,
      operation: `query($code: String!) { ${code} { checklistItem(code: $code) { code version } } }`,
      variables: () => ({ code: d().planItem.code }),
    },
    {
      fields: [`${Type}.publishedResults`],
      public: 'published results are public, without confidential notes (R25)',
      departments,
      operation: `query($uscc: String!) { ${code} { publishedResults(uscc: $uscc) { id outcome confidentialNotes } } }`,
      variables: () => ({ uscc: d().target.uscc }),
    },
    {
      fields: [`${Type}.publishedResultPage`],
      public: 'published results are public, without confidential notes (R25)',
      departments,
      operation:
        `query($uscc: String!) { ${code} { publishedResultPage(uscc: $uscc, first: 5) { nodes { id outcome ` +
        `confidentialNotes } pageInfo { hasNextPage } totalCount } } }`,
      variables: () => ({ uscc: d().target.uscc }),
    },
    {
      fields: [`${Type}.outcomes`],
      public: 'the outcome dictionary is what published results mean (R26)',
      departments,
      operation: `{ ${code} { outcomes { code version } } }`,
    },
    roster('targets', 'nodes { id creditLevel } totalCount', '(first: 3)'),
    roster('exportTargets', 'nodes { id } hasMore', '(first: 3)'),
    roster('exportTargetRows', 'count tsv', '(first: 3)'),
    {
      fields: [`${Type}.target`],
      allow: rosterReaders,
      departments,
      operation: `query($id: ID!) { ${code} { target(id: $id) { id creditLevel riskLevel } } }`,
      variables: () => ({ id: d().target.id }),
    },
    roster('inspectors', 'nodes { id phone }', '(first: 3)'),
    roster('experts', 'nodes { id phone }', '(first: 3)'),
    roster('results', 'id status confidentialNotes', '(first: 3)'),
    roster('resultPage', 'nodes { id status confidentialNotes } pageInfo { endCursor } totalCount', '(first: 3)'),
    {
      fields: [`MarketEntity.${code}`],
      allow: viewReaders,
      departments,
      operation:
        `query($uscc: String!) { marketEntity(uscc: $uscc) { uscc ${code} { onRoster creditLevel riskLevel } } ` + `}`,
      variables: () => ({ uscc: d().target.uscc }),
    },
  ];
}

/** What departments add beyond the template. */
export const DEPARTMENT_EXTRAS: Entry[] = [
  {
    fields: ['MarketQuery.abnormalOperationList'],
    public: 'the abnormal-operation list is published registration data (README, access rules)',
    departments: ['market', 'tax'],
    operation: '{ market { abnormalOperationList(first: 5) { usccs hasMore } } }',
  },
  {
    fields: ['HousingQuery.project'],
    // R30: a project is read as the housing view of its contractor.
    allow: anyOf(staffOf('housing'), coordinatorOfAnyDepartment, hubReaders),
    departments: ['housing', 'fire'],
    operation: 'query($id: ID!) { housing { project(id: $id) { id contractorUscc permitNo } } }',
    variables: () => ({ id: f.housingProject }),
  },
  {
    fields: [
      'Query.marketEntity',
      ...[
        'uscc',
        'name',
        'kind',
        'legalRepresentative',
        'registeredAddress',
        'regionCode',
        'industryCode',
        'registeredOn',
        'status',
        'onAbnormalList',
      ].map((x) => `MarketEntity.${x}`),
    ],
    public: 'market registration data is published (README, access rules)',
    departments: ['market', 'tax'],
    operation:
      'query($uscc: String!) { marketEntity(uscc: $uscc) { uscc name kind legalRepresentative ' +
      'registeredAddress regionCode industryCode registeredOn status onAbnormalList } }',
    variables: () => ({ uscc: f.departments.market!.target.uscc }),
  },
  {
    fields: ['Query.marketSearch'],
    public: 'finding an entity by name, for its published results (R25)',
    departments: ['market', 'tax'],
    operation: 'query($name: String!) { marketSearch(name: $name, first: 3) { uscc name } }',
    variables: () => ({ name: String(f.departments.market!.target.name).slice(0, 4) }),
  },
  {
    fields: ['Query.marketSearchPage'],
    public: 'finding an entity by name, region or industry, for its published results (R25)',
    departments: ['market', 'tax'],
    operation:
      'query($name: String!) { marketSearchPage(name: $name, first: 3) { nodes { uscc name } pageInfo { ' +
      'hasNextPage } totalCount } }',
    variables: () => ({ name: String(f.departments.market!.target.name).slice(0, 4) }),
  },
  {
    fields: ['Query.marketEntities'],
    public: 'market registration data is published',
    departments: ['market', 'tax'],
    operation: 'query($usccs: [String!]!) { marketEntities(usccs: $usccs) { uscc name } }',
    variables: () => ({ usccs: [f.departments.market!.target.uscc] }),
  },
];
