import { Role } from '../../kernel/identity';
import { describeWithHub } from '../support/hub';

describeWithHub(
  'a department subgraph that is down',
  (hub) => {
    it("costs only its own data: the others' data is returned, with a DOWNSTREAM_SERVICE_ERROR naming it", async () => {
      const token = await hub().token(Role.COORDINATOR, 'market');
      const page = await hub().query<{ market: { targets: { nodes: Array<{ id: string }> } } }>(
        '{ market { targets(first: 3) { nodes { id } } } }',
        { token },
      );
      const usccs = page.data!.market.targets.nodes.map((n) => n.id);
      const query = `query($u: [String!]!) { marketEntities(usccs: $u) { uscc name tax { riskLevel } fire { onRoster } } }`;

      await hub()
        .departments.find((d) => d.name === 'tax')!
        .stop();
      const response = await hub().query<{
        marketEntities: Array<{ uscc: string; name: string; tax: unknown; fire: { onRoster: boolean } }>;
      }>(query, { variables: { u: usccs }, token });

      expect(response.data!.marketEntities.map((e) => e.uscc)).toEqual(usccs);
      for (const entity of response.data!.marketEntities) {
        expect(entity.name).toBeTruthy();
        expect(entity.tax).toBeNull();
        expect(typeof entity.fire.onRoster).toBe('boolean');
      }
      expect(response.errors!.length).toBeGreaterThan(0);
      for (const error of response.errors!) {
        expect(error.extensions).toMatchObject({ code: 'DOWNSTREAM_SERVICE_ERROR', serviceName: 'tax' });
        expect(error.message).toMatch(/tax subgraph could not be reached/);
      }
    });
  },
  100,
);
