import { importJWK, SignJWT } from 'jose';
import { generateSigningKeys, identityProblem, PUBLIC_IDENTITY, Role, TokenIssuer, TokenVerifier } from './identity';

const SETTINGS = { issuer: 'jc', audience: 'jc' };

describe('signed identities', () => {
  let issuer: TokenIssuer;
  let verifier: TokenVerifier;
  beforeAll(async () => {
    const keys = await generateSigningKeys('k1');
    issuer = await TokenIssuer.fromJwk(keys.privateJwk, SETTINGS);
    verifier = new TokenVerifier(keys.jwks, SETTINGS);
  });

  it('round-trips a department role and a hub role', async () => {
    const token = await issuer.issue({ subject: 'zhang.wei', role: Role.DEPUTY_HEAD, department: 'tax' });
    expect(await verifier.identify(`Bearer ${token}`)).toEqual({
      subject: 'zhang.wei',
      role: 'DEPUTY_HEAD',
      department: 'tax',
    });
    const auditor = await issuer.issue({ subject: 'audit-1', role: Role.AUDITOR, department: null });
    expect(await verifier.identify(`bearer ${auditor}`)).toEqual({
      subject: 'audit-1',
      role: 'AUDITOR',
      department: null,
    });
  });

  it('no header is the public; a malformed, forged, foreign-audience or expired token is UNAUTHENTICATED', async () => {
    expect(await verifier.identify(undefined)).toBe(PUBLIC_IDENTITY);
    await expect(verifier.identify('Basic abc')).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const other = await TokenIssuer.fromJwk((await generateSigningKeys('k1')).privateJwk, SETTINGS);
    const forged = await other.issue({ subject: 'x', role: Role.HUB_ADMIN, department: null });
    await expect(verifier.identify(`Bearer ${forged}`)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const keys = await generateSigningKeys('k1');
    const foreign = await (
      await TokenIssuer.fromJwk(keys.privateJwk, { issuer: 'jc', audience: 'elsewhere' })
    ).issue({ subject: 'x', role: Role.AUDITOR, department: null });
    await expect(new TokenVerifier(keys.jwks, SETTINGS).identify(`Bearer ${foreign}`)).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED' },
    });
    await expect(issuer.issue({ subject: 'x'.repeat(65), role: Role.AUDITOR, department: null })).rejects.toThrow(
      /subject/,
    );
    const expired = await issuer.issue({ subject: 'x', role: Role.AUDITOR, department: null }, '-10s');
    await expect(verifier.identify(`Bearer ${expired}`)).rejects.toThrow(/expired/);
  });

  it(
    'a token of a key whose id is not in the public key set is UNAUTHENTICATED, saying the key is unknown to ' +
      'this hub and how to sign with its key',
    async () => {
      const stranger = await TokenIssuer.fromJwk((await generateSigningKeys('k-laptop')).privateJwk, SETTINGS);
      const token = await stranger.issue({ subject: 'x', role: Role.AUDITOR, department: null });
      const refused = verifier.identify(`Bearer ${token}`);
      await expect(refused).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
      await expect(refused).rejects.toThrow(
        "The token is signed with key id 'k-laptop', which is unknown to this hub (not in its public key set, " +
          "JOINTCHECK_JWT_PUBLIC_KEYS): sign it with the hub's key, i.e. run npm run token with the hub's " +
          'JOINTCHECK_DATA_DIR or its JOINTCHECK_JWT_PRIVATE_KEY.',
      );
    },
  );

  it('verifies with any key of the set, so keys can be rotated', async () => {
    const next = await generateSigningKeys('k2');
    const old = await generateSigningKeys('k1');
    const both = new TokenVerifier({ keys: [...old.jwks.keys, ...next.jwks.keys] }, SETTINGS);
    for (const keys of [old, next]) {
      const token = await (
        await TokenIssuer.fromJwk(keys.privateJwk, SETTINGS)
      ).issue({ subject: 's', role: Role.SERVICE, department: null });
      expect((await both.identify(`Bearer ${token}`)).role).toBe('SERVICE');
    }
  });

  it(
    'a token verified once is not verified again until it expires; past its expiry, or after a key change, it ' +
      'is checked afresh and refused',
    async () => {
      let now = new Date('2026-03-02T08:00:00Z');
      const keys = await generateSigningKeys('k1');
      const signer = await TokenIssuer.fromJwk(keys.privateJwk, SETTINGS);
      const cached = new TokenVerifier(keys.jwks, SETTINGS, () => now);
      // Issued for an hour from the real clock; the verifier's clock is moved instead.
      const token = await signer.issue({ subject: 'li.na', role: Role.INSPECTOR, department: 'tax' }, '1h');
      const issuedAt = Date.now();
      now = new Date(issuedAt);
      expect(await cached.identify(`Bearer ${token}`)).toEqual({
        subject: 'li.na',
        role: 'INSPECTOR',
        department: 'tax',
      });
      now = new Date(issuedAt + 59 * 60_000);
      expect((await cached.identify(`Bearer ${token}`)).subject).toBe('li.na');
      now = new Date(issuedAt + 61 * 60_000);
      await expect(cached.identify(`Bearer ${token}`)).rejects.toThrow(/expired/);
      // Rotation: once its key is taken out of the set, a token seen before is refused.
      now = new Date(issuedAt);
      expect((await cached.identify(`Bearer ${token}`)).subject).toBe('li.na');
      cached.replaceKeys((await generateSigningKeys('k2')).jwks);
      await expect(cached.identify(`Bearer ${token}`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
      // A token with one character of its signature changed is no cache hit.
      const fresh = new TokenVerifier(keys.jwks, SETTINGS, () => now);
      await fresh.identify(`Bearer ${token}`);
      const tampered = token.slice(0, -2) + (token.at(-2) === 'A' ? 'B' : 'A') + token.at(-1);
      await expect(fresh.identify(`Bearer ${tampered}`)).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    },
  );

  it(
    'H2: a token must carry exp and iat and live no longer than the maximum (24 h by default, or the setting); ' +
      'the issuer refuses to sign longer',
    async () => {
      const keys = await generateSigningKeys('k1');
      const at = Math.floor(Date.now() / 1000);
      const sign = async (claims: { iat?: number; exp?: number }) => {
        const jwt = new SignJWT({ role: Role.AUDITOR })
          .setProtectedHeader({ alg: 'EdDSA', kid: 'k1' })
          .setSubject('x')
          .setIssuer('jc')
          .setAudience('jc');
        if (claims.iat !== undefined) jwt.setIssuedAt(claims.iat);
        if (claims.exp !== undefined) jwt.setExpirationTime(claims.exp);
        return `Bearer ${await jwt.sign(await importJWK(keys.privateJwk, 'EdDSA'))}`;
      };
      const hub = new TokenVerifier(keys.jwks, SETTINGS);
      await expect(hub.identify(await sign({ iat: at }))).rejects.toThrow(
        /^The token has no expiry \(exp\): .* within 24 h \(JOINTCHECK_JWT_MAX_LIFETIME\)/,
      );
      await expect(hub.identify(await sign({ exp: at + 60 }))).rejects.toThrow(/^The token has no issue time \(iat\)/);
      await expect(hub.identify(await sign({ iat: at, exp: at + 10 * 365 * 86_400 }))).rejects.toMatchObject({
        message: expect.stringMatching(
          /^The token lives 3650 d, longer than this hub accepts \(24 h, JOINTCHECK_JWT_MAX_LIFETIME\)/,
        ),
        extensions: { code: 'UNAUTHENTICATED' },
      });
      expect((await hub.identify(await sign({ iat: at, exp: at + 86_400 }))).role).toBe('AUDITOR');
      const strict = new TokenVerifier(keys.jwks, { ...SETTINGS, maxLifetimeSeconds: 3600 });
      await expect(strict.identify(await sign({ iat: at, exp: at + 2 * 3600 }))).rejects.toThrow(
        /lives 2 h, longer than this hub accepts \(1 h/,
      );
      const signer = await TokenIssuer.fromJwk(keys.privateJwk, { ...SETTINGS, maxLifetimeSeconds: 3600 });
      await expect(signer.issue({ subject: 'x', role: Role.AUDITOR, department: null }, '30d')).rejects.toThrow(
        'a token living 30 d is longer than this hub accepts (1 h, JOINTCHECK_JWT_MAX_LIFETIME)',
      );
      await expect(signer.issue({ subject: 'x', role: Role.AUDITOR, department: null }, 'forever')).rejects.toThrow(
        /not a duration/,
      );
      expect(
        (await strict.identify(`Bearer ${await signer.issue({ subject: 'x', role: Role.AUDITOR, department: null })}`))
          .role,
      ).toBe('AUDITOR');
    },
  );

  it('department roles must name a department; hub roles must not', () => {
    expect(identityProblem('INSPECTOR', null)).toMatch(/needs a department/);
    expect(identityProblem('INSPECTOR', 'Tax')).toMatch(/needs a department/);
    expect(identityProblem('AUDITOR', 'tax')).toMatch(/belongs to no department/);
    expect(identityProblem('PUBLIC', null)).toMatch(/unknown role/);
    for (const inherited of ['constructor', 'toString', '__proto__', 'hasOwnProperty'])
      expect(identityProblem(inherited, null)).toMatch(/unknown role/);
    expect(identityProblem('SERVICE', 'tax')).toMatch(/belongs to no department/);
    expect(identityProblem('COORDINATOR', 'market')).toBeNull();
  });
});
