import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

/**
 * R30: a caller whose role may not make a call is refused before anything is looked up, so a
 * made-up id tells them nothing (FORBIDDEN, never NOT_FOUND or CONFLICT, which would say whether
 * the plan, task or visit exists).
 */
describeWithHub('R30: refusals say nothing about what exists', (hub) => {
  const cases: Array<[string, string, Role, string | null]> = [
    [
      'jointSubmitVisitResults',
      `mutation { jointSubmitVisitResults(input: { taskId: "${NO_SUCH}", targetKey: "X1", inspectedOn: ` +
        `"2026-03-04", results: [] }) { id } }`,
      Role.COORDINATOR,
      'market',
    ],
    [
      'jointRetryDelivery',
      `mutation { jointRetryDelivery(submissionId: "${NO_SUCH}", department: "tax") { status } }`,
      Role.INSPECTOR,
      'market',
    ],
    [
      'jointIssueInspectionCode',
      `mutation { jointIssueInspectionCode(taskId: "${NO_SUCH}", targetKey: "X1") }`,
      Role.AUDITOR,
      null,
    ],
    [
      'jointDrawInspectors',
      `mutation { jointDrawInspectors(taskId: "${NO_SUCH}", department: "tax") { id } }`,
      Role.INSPECTOR,
      'tax',
    ],
    [
      'jointReplaceInspector',
      `mutation { jointReplaceInspector(input: { taskId: "${NO_SUCH}", targetKey: "X1", department: "tax", ` +
        `personId: "p", reason: HEALTH, replacementId: "q", note: "n" }) { personId } }`,
      Role.COORDINATOR,
      'tax',
    ],
    [
      'jointFillVacantSeat',
      `mutation { jointFillVacantSeat(input: { taskId: "${NO_SUCH}", targetKey: "X1", department: "tax", ` +
        `inspectorId: "q", note: "n" }) { personId } }`,
      Role.DEPT_ADMIN,
      'tax',
    ],
    ['jointPublishPlan', `mutation { jointPublishPlan(id: "${NO_SUCH}") { id } }`, Role.DEPT_ADMIN, 'market'],
  ];
  it.each(cases)(
    'R30: %s with a made-up id, by a role that may not call it, is FORBIDDEN',
    async (_name, query, role, department) => {
      const r = await hub().query(query, { token: await hub().token(role, department) });
      expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    },
  );
});
