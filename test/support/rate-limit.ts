/** An HTTP answer as the limit tests read it. */
export interface LimitedAnswer {
  status: number;
  headers: Headers;
  body: { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/**
 * The mutation limit, as the gateway and every service apply it: the first `limit` answers pass
 * it, the next is RATE_LIMITED with HTTP 429, when to try again (extension and Retry-After) and a
 * message naming the limit.
 */
export function expectRefusedAfter(answers: readonly LimitedAnswer[], limit: number): void {
  for (const a of answers.slice(0, limit)) expect(a.body.errors?.[0]?.extensions?.code).not.toBe('RATE_LIMITED');
  const refused = answers[limit]!;
  expect(refused.status).toBe(429);
  expect(refused.body.errors?.[0]?.extensions).toMatchObject({
    code: 'RATE_LIMITED',
    retryAfterSeconds: expect.any(Number),
  });
  expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  expect(refused.body.errors?.[0]?.message).toMatch(new RegExp(`at most ${limit} mutations a minute per caller`));
}
