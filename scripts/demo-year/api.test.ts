import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateSigningKeys, TokenIssuer } from '../../kernel/identity';
import { actors, DemoApi } from './api';

/** A gateway stand-in that answers each request with the next body of a script. */
async function gateway(answers: object[]): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let served = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(answers[Math.min(served++, answers.length - 1)]));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => served,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe("the demo year's client", () => {
  let issuer: TokenIssuer;
  beforeAll(async () => {
    issuer = await TokenIssuer.fromJwk((await generateSigningKeys('demo-test')).privateJwk, {
      issuer: 'jointcheck',
      audience: 'jointcheck',
    });
  });
  const unavailable = {
    errors: [
      { message: 'A passing database fault ... Send it again.', extensions: { code: 'UNAVAILABLE', retryable: true } },
    ],
  };

  it('sends again a call the hub answers retryable (a passing fault, nothing stored), and goes on', async () => {
    const hub = await gateway([unavailable, unavailable, { data: { marketPublishResults: [{ id: 'r1' }] } }]);
    const lines: string[] = [];
    try {
      const data = await new DemoApi(hub.url, issuer, (line) => lines.push(line)).call(
        'publishing',
        actors.admin('market'),
        'mutation { marketPublishResults(ids: ["r1"]) { id } }',
      );
      expect(data).toEqual({ marketPublishResults: [{ id: 'r1' }] });
      expect(hub.requests()).toBe(3);
      expect(lines).toHaveLength(2);
    } finally {
      await hub.close();
    }
  });

  it(
    'stops on any other error, naming the step and who took ' + 'it, and gives up on a fault that does not pass',
    async () => {
      const refused = await gateway([
        { errors: [{ message: 'Only a DEPT_ADMIN may publish.', extensions: { code: 'FORBIDDEN' } }] },
      ]);
      const stuck = await gateway([unavailable]);
      try {
        await expect(
          new DemoApi(refused.url, issuer, () => undefined).call('publishing', actors.admin('market'), '{ x }'),
        ).rejects.toThrow(
          'Demo year, publishing, as DEPT_ADMIN of market demo-market-admin: Only a DEPT_ADMIN may publish. ' +
            '(FORBIDDEN)',
        );
        expect(refused.requests()).toBe(1);
        await expect(new DemoApi(stuck.url, issuer, () => undefined).call('publishing', null, '{ x }')).rejects.toThrow(
          /UNAVAILABLE/,
        );
        expect(stuck.requests()).toBe(4);
      } finally {
        await refused.close();
        await stuck.close();
      }
    },
  );
});
