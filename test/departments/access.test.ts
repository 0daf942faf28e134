import { generateSigningKeys, Role, TokenIssuer } from '../../kernel/identity';
import { describeWithHub, onlyError, postGraphQL, TEST_SETTINGS } from '../support/hub';

const ITEM = {
  title: '建设工程消防验收备案抽查',
  content: '检查建设工程竣工验收消防备案情况。',
  basis: '《中华人民共和国消防法》第十三条',
  inspectingBody: '区住房和城乡建设管理委员会',
  targetKinds: ['PROJECT'],
  method: 'ON_SITE',
  category: 'KEY',
  frequency: '每年不少于1次',
  domain: '工程质量',
};
const ADD_ENV =
  'mutation($input: ChecklistItemInput!) { environmentAddChecklistItem(code: "ENV-90", input: $input) { code } }';
const ENV_HISTORY = '{ environment { checklist(includeHistory: true) { code } } }';
const ENV_INSPECTORS = '{ environment { inspectors(first: 5) { nodes { id certificateNo phone } } } }';

describeWithHub('identity and ownership: a department writes only its own data (R30)', (hub) => {
  async function envItemCount(): Promise<number> {
    return (await hub().query<{ environment: { checklist: unknown[] } }>(ENV_HISTORY)).data!.environment.checklist
      .length;
  }

  it("R30: another department's admin cannot change a department's checklist, and nothing is written", async () => {
    const before = await envItemCount();
    const taxAdmin = await hub().token(Role.DEPT_ADMIN, 'tax');
    const error = onlyError(await hub().query(ADD_ENV, { variables: { input: ITEM }, token: taxAdmin }));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/DEPT_ADMIN of department 'environment'.*you are DEPT_ADMIN of 'tax'/);
    expect(await envItemCount()).toBe(before);
  });

  it('R30: staff of the department other than its admin, and hub roles, cannot change it either', async () => {
    for (const [role, dept] of [
      [Role.COORDINATOR, 'environment'],
      [Role.INSPECTOR, 'environment'],
      [Role.HUB_ADMIN, null],
      [Role.AUDITOR, null],
      [Role.SERVICE, null],
    ] as const) {
      const error = onlyError(
        await hub().query(ADD_ENV, { variables: { input: ITEM }, token: await hub().token(role, dept) }),
      );
      expect([role, error.code]).toEqual([role, 'FORBIDDEN']);
    }
    const anonymous = onlyError(await hub().query(ADD_ENV, { variables: { input: ITEM } }));
    expect(anonymous.code).toBe('UNAUTHENTICATED');
    const own = await hub().query(ADD_ENV, {
      variables: { input: ITEM },
      token: await hub().token(Role.DEPT_ADMIN, 'environment'),
    });
    expect(own.errors).toBeUndefined();
    expect(
      (
        await hub().query<{ environment: { checklist: Array<{ code: string }> } }>(ENV_HISTORY)
      ).data!.environment.checklist.map((i) => i.code),
    ).toContain('ENV-90');
  });

  it("R30: rosters are read by the department's own staff and hub roles; phones only by its own staff", async () => {
    const own = await hub().query<{ environment: { inspectors: { nodes: Array<{ phone: string | null }> } } }>(
      ENV_INSPECTORS,
      { token: await hub().token(Role.INSPECTOR, 'environment') },
    );
    expect(own.errors).toBeUndefined();
    expect(own.data!.environment.inspectors.nodes.every((n) => /^1\d{10}$/.test(n.phone!))).toBe(true);

    const auditor = await hub().query<{ environment: { inspectors: { nodes: Array<{ phone: string | null }> } } }>(
      ENV_INSPECTORS,
      { token: await hub().token(Role.AUDITOR) },
    );
    expect(auditor.errors).toBeUndefined();
    expect(auditor.data!.environment.inspectors.nodes.every((n) => n.phone === null)).toBe(true);

    const otherDept = onlyError(await hub().query(ENV_INSPECTORS, { token: await hub().token(Role.INSPECTOR, 'tax') }));
    expect(otherDept).toMatchObject({ code: 'FORBIDDEN', extensions: { rule: 'R30' } });
    expect(onlyError(await hub().query(ENV_INSPECTORS)).code).toBe('UNAUTHENTICATED');
  });

  it(
    "R30: a department's view (internal credit and risk classes) is read by its staff, coordinators and hub " +
      'roles; registration data is public',
    async () => {
      const list = await hub().query<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
        '{ market { targets(first: 1) { nodes { id } } } }',
        {
          token: await hub().token(Role.COORDINATOR, 'market'),
        },
      );
      const uscc = list.data!.market.targets.nodes[0]!.id;
      const q = `{ marketEntity(uscc: "${uscc}") { uscc name tax { riskLevel } } }`;
      const anonymous = await hub().query<{ marketEntity: { name: string; tax: unknown } }>(q);
      expect(anonymous.data!.marketEntity.name).toBeTruthy();
      expect(anonymous.data!.marketEntity.tax).toBeNull();
      expect(anonymous.errors![0]!.extensions!.code).toBe('UNAUTHENTICATED');
      for (const [role, dept] of [
        [Role.INSPECTOR, 'tax'],
        [Role.COORDINATOR, 'fire'],
        [Role.AUDITOR, null],
        [Role.SERVICE, null],
      ] as const) {
        const allowed = await hub().query<{ marketEntity: { tax: { riskLevel: string } } }>(q, {
          token: await hub().token(role, dept),
        });
        expect([role, dept, allowed.errors]).toEqual([role, dept, undefined]);
        expect(allowed.data!.marketEntity.tax.riskLevel).toMatch(/LOW|GENERAL|ELEVATED|HIGH/);
      }
      for (const [role, dept] of [
        [Role.INSPECTOR, 'fire'],
        [Role.DEPT_ADMIN, 'housing'],
      ] as const) {
        const refused = await hub().query<{ marketEntity: { name: string; tax: unknown } }>(q, {
          token: await hub().token(role, dept),
        });
        expect(refused.data!.marketEntity).toMatchObject({ tax: null });
        expect(refused.errors![0]!.extensions).toMatchObject({ code: 'FORBIDDEN', rule: 'R30' });
      }
    },
  );

  it("R30: no department can revise, repeal or import into another's data", async () => {
    const taxAdmin = await hub().token(Role.DEPT_ADMIN, 'tax');
    const before = await hub().query(
      '{ environment { checklist(includeHistory: true) { code version status } targets(first: 1) { totalCount } } }',
      { token: await hub().token(Role.AUDITOR) },
    );
    const attempts = [
      [
        'mutation($input: ChecklistItemInput!) { environmentReviseChecklistItem(code: "ENV-01", input: ' +
          '$input, reason: "x") { code } }',
        { input: ITEM },
      ],
      ['mutation { environmentRepealChecklistItem(code: "ENV-01", reason: "x") { code } }', {}],
      [
        'mutation($t: [RosterTargetInput!]!) { environmentImportTargets(targets: $t) }',
        {
          t: [
            {
              kind: 'ENTERPRISE',
              uscc: '914403001922038216',
              name: 'x',
              regionCode: '310115',
              industryCode: 'C39',
              creditLevel: 'A',
              riskLevel: 'LOW',
            },
          ],
        },
      ],
    ] as const;
    for (const [mutation, variables] of attempts) {
      expect(onlyError(await hub().query(mutation, { variables, token: taxAdmin })).code).toBe('FORBIDDEN');
    }
    const after = await hub().query(
      '{ environment { checklist(includeHistory: true) { code version status } targets(first: 1) { totalCount } } }',
      { token: await hub().token(Role.AUDITOR) },
    );
    expect(after).toEqual(before);
  });

  it('a subgraph called directly verifies the token itself: without one it serves public data only', async () => {
    const envUrl = hub().departments.find((d) => d.name === 'environment')!.url;
    const direct = onlyError(await postGraphQL(envUrl, ENV_INSPECTORS));
    expect(direct.code).toBe('UNAUTHENTICATED');
    const publicChecklist = await postGraphQL<{ environment: { checklist: unknown[] } }>(
      envUrl,
      '{ environment { checklist { code } } }',
    );
    expect(publicChecklist.errors).toBeUndefined();
    expect(publicChecklist.data!.environment.checklist.length).toBeGreaterThan(10);
    // A forged header (a token signed with someone else's key) gets nothing, directly or through the gateway.
    const forger = await TokenIssuer.fromJwk((await generateSigningKeys('test')).privateJwk, TEST_SETTINGS);
    const forged = await forger.issue({ subject: 'mallory', role: Role.DEPT_ADMIN, department: 'environment' });
    // Forged for the subgraph's own audience, so that the key is what refuses it there.
    const forgedForEnvironment = await forger.issueFor('environment', {
      subject: 'mallory',
      role: Role.DEPT_ADMIN,
      department: 'environment',
    });
    const refusedDirectly = onlyError(await postGraphQL(envUrl, ENV_INSPECTORS, undefined, forgedForEnvironment));
    expect(refusedDirectly.code).toBe('UNAUTHENTICATED');
    expect(refusedDirectly.message).toContain('is not valid');
    expect(onlyError(await hub().query(ENV_INSPECTORS, { token: forged })).code).toBe('UNAUTHENTICATED');
  });

  it('an expired token is refused with a message saying how to get a new one', async () => {
    const expired = await hub().issuer.issue({ subject: 'late', role: Role.AUDITOR, department: null }, '-1m');
    const response = await fetch(hub().gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${expired}` },
      body: JSON.stringify({ query: '{ tax { checklist { code } } }' }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as { errors: Array<{ message: string; extensions: { code: string } }> };
    expect(body.errors[0]!.extensions.code).toBe('UNAUTHENTICATED');
    expect(body.errors[0]!.message).toMatch(/expired.*npm run token/);
  });
});
