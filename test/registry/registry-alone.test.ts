import { loadConfig } from '../../kernel/config';
import { Role } from '../../kernel/identity';
import { createLogger } from '../../kernel/log';
import { HUB_BOOTSTRAP, startRegistry, type RunningRegistry } from '../../subgraphs/registry';
import { RegistryService } from '../../subgraphs/registry/service';
import { fetchSubgraphSdl } from '../../subgraphs/registry/compose';
import { testDatabases } from '../support/databases';
import { postGraphQL, testKeys } from '../support/hub';
import { FED2, servePlainSubgraph } from '../support/plain-subgraph';

const REGISTER =
  `mutation($input: SubgraphRegistrationInput!) { registryRegisterSubgraph(input: $input) { changed version { ` +
  `number subgraphs { name } } } }`;

/** The registry on its own (no hub around it): its rules that do not need departments. */
describe.each(testDatabases())('the registry on its own ($label)', (database) => {
  let registry: RunningRegistry;
  let keys: Awaited<ReturnType<typeof testKeys>>;
  const servers: Array<{ stop(): Promise<void> }> = [];
  let barrier: { wait(): Promise<void> } | null = null;
  const arm = (parties: number) => {
    let release!: () => void;
    const all = new Promise<void>((resolve) => (release = resolve));
    let arrived = 0;
    barrier = {
      wait: () => {
        if (++arrived === parties) release();
        return all;
      },
    };
  };
  const plain = async (sdl: string) => {
    const server = await servePlainSubgraph(`${FED2} ${sdl}`);
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    keys = await testKeys();
    const config = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_HEALTH_INTERVAL_MS: '100',
      JOINTCHECK_REGISTRY_ALLOWED_HOSTS: '.customs.gov.cn,localhost',
    });
    // SDLs are really fetched; when a test arms the barrier, the fetches answer together, so that the changes overlap.
    registry = await startRegistry(config, {
      verifier: keys.verifier,
      logger: createLogger('silent', 'registry'),
      port: 0,
      fetchSdl: async (url) => {
        const sdl = await fetchSubgraphSdl(url);
        if (barrier) await barrier.wait();
        return sdl;
      },
    });
  });
  afterAll(async () => {
    for (const s of servers) await s.stop();
    await registry?.stop();
    await database.drop(['registry']);
  });

  it(
    'concurrent changes are taken one after the other, each ' + 'with its own version (SQLite has one connection)',
    async () => {
      const [a, b, c] = await Promise.all([
        plain('type Query { alpha: Int }'),
        plain('type Query { beta: Int }'),
        plain('type Query { gamma: Int }'),
      ]);
      const admin = { subject: 'admin', role: Role.HUB_ADMIN, department: null };
      arm(3);
      const answers = await Promise.all(
        [
          ['alpha', a!.url],
          ['beta', b!.url],
          ['gamma', c!.url],
        ].map(([name, url]) => registry.service.register({ name: name!, url: url! }, admin)),
      );
      expect(answers.map((x) => x.version.number).sort()).toEqual([1, 2, 3]);
      expect(await registry.service.head()).toBe(3);
      barrier = null;
      const last = await registry.service.version(3);
      expect(last!.subgraphs.map((s) => s.name)).toEqual(['alpha', 'beta', 'gamma']);
    },
  );

  it(
    'department admins register only at the hosts the hub allows (tokens are forwarded to registered URLs); ' +
      'hub admins are not limited',
    async () => {
      const server = await plain('type Query { delta: Int }');
      const admin = await keys.issuer.issueFor('registry', {
        subject: 'customs-admin',
        role: Role.DEPT_ADMIN,
        department: 'customs',
      });
      const refused = await postGraphQL(
        registry.url,
        REGISTER,
        {
          input: {
            name: 'customs',
            code: 'customs',
            departmentName: '海关',
            url: 'http://collector.example.com/graphql',
          },
        },
        admin,
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'url' });
      expect(refused.errors?.[0]?.message).toContain('collector.example.com is not one the hub accepts');
      // An allowed host gets as far as the checks (this SDL is no department: refused by the contract, not by the
      // host).
      const allowed = await postGraphQL(
        registry.url,
        REGISTER,
        {
          input: {
            name: 'customs',
            code: 'customs',
            departmentName: '海关',
            url: server.url.replace('127.0.0.1', 'localhost'),
          },
        },
        admin,
      );
      expect(allowed.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(
        (allowed.errors?.[0]?.extensions?.problems as Array<{ kind: string }>).some((p) => p.kind === 'CONTRACT'),
      ).toBe(true);
      const hubAdmin = await keys.issuer.issueFor('registry', {
        subject: 'admin',
        role: Role.HUB_ADMIN,
        department: null,
      });
      const byHub = await postGraphQL(registry.url, REGISTER, { input: { name: 'delta', url: server.url } }, hubAdmin);
      expect(byHub.errors).toBeUndefined();
    },
  );

  it('health is checked on its interval: a subgraph is reported UP, and DOWN once it stops', async () => {
    const until = async (status: string) => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const state = (await registry.health.list()).find((h) => h.name === 'epsilon');
        if (state?.status === status) return state;
        if (Date.now() > deadline) throw new Error(`epsilon is ${state?.status}, not ${status}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const server = await plain('type Query { epsilon: Int }');
    const token = await keys.issuer.issueFor('registry', { subject: 'admin', role: Role.HUB_ADMIN, department: null });
    expect(
      (await postGraphQL(registry.url, REGISTER, { input: { name: 'epsilon', url: server.url } }, token)).errors,
    ).toBeUndefined();
    expect((await until('UP')).latencyMs).not.toBeNull();
    await server.stop();
    const down = await until('DOWN');
    expect(down.error).toMatch(/unreachable/);
  });

  it('at a restart the hub registers its own subgraphs again, but keeps what an admin changed since', async () => {
    const hubOwn = await plain('type Query { zeta: Int }');
    const moved = await plain('type Query { zeta: Int zetaExtra: Int }');
    const first = await registry.service.bootstrap([{ name: 'zeta', url: hubOwn.url }], HUB_BOOTSTRAP);
    expect(first.changed).toBe(true);
    const again = await registry.service.bootstrap([{ name: 'zeta', url: hubOwn.url }], HUB_BOOTSTRAP);
    expect(again).toMatchObject({ changed: false, kept: [] });
    await registry.service.register(
      { name: 'zeta', url: moved.url },
      { subject: 'ops-1', role: Role.HUB_ADMIN, department: null },
    );
    const restarted = await registry.service.bootstrap([{ name: 'zeta', url: hubOwn.url }], HUB_BOOTSTRAP);
    expect(restarted).toMatchObject({ changed: false, kept: ['zeta'] });
    expect((await registry.service.subgraphs()).find((s) => s.name === 'zeta')!.url).toBe(moved.url);
  });

  it(
    "H2: a department's subgraph is named by its code (tokens are made for the subgraph's name, and a " +
      'department verifies its code)',
    async () => {
      const server = await plain('type Query { iota: Int }');
      const admin = await keys.issuer.issueFor('registry', {
        subject: 'customs-admin',
        role: Role.DEPT_ADMIN,
        department: 'customs',
      });
      const head = await registry.service.head();
      const refused = await postGraphQL(
        registry.url,
        REGISTER,
        {
          input: {
            name: 'customs_v2',
            code: 'customs',
            departmentName: '海关',
            url: server.url.replace('127.0.0.1', 'localhost'),
          },
        },
        admin,
      );
      expect(refused.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
      expect(refused.errors?.[0]?.message).toContain("register customs's subgraph as 'customs'");
      expect(await registry.service.head()).toBe(head);
    },
  );

  it('H2: in production the registry needs its allowed hosts to start, and holds hub admins to them too', async () => {
    const production = loadConfig({
      ...database.env,
      JOINTCHECK_PORT: '0',
      JOINTCHECK_LOG_LEVEL: 'silent',
      JOINTCHECK_DEV_KEYS: 'false',
      JOINTCHECK_MODE: 'production',
    });
    await expect(
      startRegistry(production, { verifier: keys.verifier, logger: createLogger('silent', 'registry'), port: 0 }),
    ).rejects.toThrow(/JOINTCHECK_REGISTRY_ALLOWED_HOSTS/);
    // The same registry's rules in production, on its database: a hub admin is refused a host outside the list.
    const held = new RegistryService({
      dataSource: registry.database.dataSource,
      logger: createLogger('silent', 'registry'),
      clock: () => new Date(),
      contractTemplate: async () => '',
      operations: [],
      allowedHosts: ['.customs.gov.cn'],
      production: true,
    });
    const server = await plain('type Query { theta: Int }');
    const admin = { subject: 'admin', role: Role.HUB_ADMIN, department: null };
    const head = await registry.service.head();
    await expect(held.register({ name: 'theta', url: server.url }, admin)).rejects.toMatchObject({
      extensions: { code: 'FORBIDDEN', field: 'url' },
    });
    expect(await registry.service.head()).toBe(head);
  });
});
