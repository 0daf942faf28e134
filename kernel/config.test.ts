import { loadConfig } from './config';

describe('configuration is read and validated once', () => {
  it('has a default for every setting that serves the quick start', () => {
    const config = loadConfig({});
    expect(config.db).toMatchObject({ kind: 'sqlite', prefix: 'jointcheck_' });
    expect(config.port).toBe(4000);
    expect(config.demo).toEqual({ enabled: true, seed: 'jointcheck-demo', targets: 20_000 });
    expect(config.jwt.publicKeysFile).toMatch(/\.data\/keys\/jwks\.json$/);
    expect(config.jwt.maxLifetimeSeconds).toBe(24 * 3600);
  });

  it('H2: reads the longest token lifetime as a duration, and refuses one that is not, or above 31 days', () => {
    expect(loadConfig({ JOINTCHECK_JWT_MAX_LIFETIME: '8h' }).jwt.maxLifetimeSeconds).toBe(8 * 3600);
    expect(loadConfig({ JOINTCHECK_JWT_MAX_LIFETIME: '7d' }).jwt.maxLifetimeSeconds).toBe(7 * 86_400);
    for (const bad of ['forever', '0', '365d', '-1h'])
      expect(() => loadConfig({ JOINTCHECK_JWT_MAX_LIFETIME: bad })).toThrow(
        /JOINTCHECK_JWT_MAX_LIFETIME: must be a duration from 1m to 31d/,
      );
  });

  it('reads a MySQL server and the subgraph list', () => {
    const config = loadConfig({
      JOINTCHECK_DB: 'mysql://root:pw@db:3306/',
      JOINTCHECK_SUBGRAPHS: 'market=http://m:4000/graphql, tax=http://t:4000/graphql',
    });
    expect(config.db).toEqual({ kind: 'mysql', url: 'mysql://root:pw@db:3306', prefix: 'jointcheck_' });
    expect(config.subgraphs).toEqual([
      { name: 'market', url: 'http://m:4000/graphql' },
      { name: 'tax', url: 'http://t:4000/graphql' },
    ]);
  });

  it('refuses a typo, a bad value and a bad subgraph entry with a message naming the setting', () => {
    expect(() => loadConfig({ JOINTCHECK_PROT: '1' })).toThrow(/Unknown setting\(s\): JOINTCHECK_PROT/);
    expect(() => loadConfig({ JOINTCHECK_DB: 'postgres://x' })).toThrow(
      /JOINTCHECK_DB: must be 'sqlite' or a MySQL server URL/,
    );
    expect(() => loadConfig({ JOINTCHECK_DB: 'mysql://root@h:3306/somedb' })).toThrow(/no database name/);
    expect(() => loadConfig({ JOINTCHECK_PORT: 'eighty' })).toThrow(/JOINTCHECK_PORT/);
    expect(() => loadConfig({ JOINTCHECK_SUBGRAPHS: 'Tax=http://t' })).toThrow(/'Tax=http:\/\/t' is not name=/);
  });

  it(
    'reads an existing system a connector-backed department needs, all of its settings or none, naming what is ' +
      'missing',
    () => {
      expect(loadConfig({}).healthSystem).toBeNull();
      expect(
        loadConfig({ JOINTCHECK_HEALTH_SYSTEM_URL: 'http://hs:8080/', JOINTCHECK_HEALTH_SYSTEM_KEY: 'a-long-key' })
          .healthSystem,
      ).toEqual({ url: 'http://hs:8080', apiKey: 'a-long-key' });
      expect(() => loadConfig({ JOINTCHECK_HEALTH_SYSTEM_URL: 'http://hs:8080' })).toThrow(
        /JOINTCHECK_HEALTH_SYSTEM_URL and JOINTCHECK_HEALTH_SYSTEM_KEY go together/,
      );
      expect(loadConfig({}).connector).toBeNull();
      expect(
        loadConfig({
          JOINTCHECK_CONNECTOR_KIND: 'mysql',
          JOINTCHECK_CONNECTOR_MAPPING: 'm.yaml',
          JOINTCHECK_CONNECTOR_UPSTREAM_URL: 'mysql://reader:pw@db:3306/yjj',
        }).connector,
      ).toMatchObject({ kind: 'mysql', upstreamUrl: 'mysql://reader:pw@db:3306/yjj' });
      expect(() =>
        loadConfig({
          JOINTCHECK_CONNECTOR_KIND: 'rest',
          JOINTCHECK_CONNECTOR_MAPPING: 'm.yaml',
          JOINTCHECK_CONNECTOR_UPSTREAM_URL: 'http://x',
        }),
      ).toThrow(/also needs JOINTCHECK_CONNECTOR_UPSTREAM_KEY/);
      expect(() => loadConfig({ JOINTCHECK_CONNECTOR_MAPPING: 'm.yaml' })).toThrow(
        /also needs JOINTCHECK_CONNECTOR_KIND \(rest or mysql\), JOINTCHECK_CONNECTOR_UPSTREAM_URL/,
      );
      expect(() =>
        loadConfig({
          JOINTCHECK_CONNECTOR_KIND: 'mysql',
          JOINTCHECK_CONNECTOR_MAPPING: 'm.yaml',
          JOINTCHECK_CONNECTOR_UPSTREAM_URL: 'mysql://db:3306',
        }),
      ).toThrow(/mysql:\/\/user:password@host:3306\/database/);
      expect(() => loadConfig({ JOINTCHECK_CONNECTOR_KIND: 'soap' })).toThrow(/JOINTCHECK_CONNECTOR_KIND/);
    },
  );
});
