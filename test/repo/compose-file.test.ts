import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { HealthSystemSettings } from '../../connectors/upstream/health-system/settings';
import { CONFIG_KEYS, loadConfig } from '../../kernel/config';
import { WEB_OUT_DIR } from '../../scripts/web-build';

const ROOT = path.join(__dirname, '..', '..');

interface ComposeService {
  build?: string;
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
}

/** Interpolates ${VAR:-default} as compose does with nothing set. */
const resolved = (environment: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(environment).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
  );

/** Services that are not the hub's: the stand-in for the health commission's existing system, and the province's. */
const STAND_INS = ['health-system'];
const INFRASTRUCTURE = ['mysql', 'redis', 'proxy', 'prometheus'];
/** What a service is: gateway-2 is a gateway, joint-1 the joint service. */
const roleOf = (name: string) => name.replace(/-\d+$/, '');

/**
 * docker-compose.yml cannot be run here (no Docker engine), so what can be checked is checked:
 * every service's entry point exists in the code, every setting it passes is one the code reads
 * (and parses), and the gateway composes exactly the department services.
 */
describe('docker-compose.yml is true to the code', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = Object.entries(compose.services).filter(
    ([name]) => !INFRASTRUCTURE.includes(name) && !STAND_INS.includes(name),
  );

  it(
    'has MySQL, Redis, a proxy, Prometheus, two gateways, the registry, two joint services, every built-in ' +
      "department and the health system's stand-in",
    () => {
      expect(Object.keys(compose.services).sort()).toEqual([
        'environment',
        'fire',
        'gateway-1',
        'gateway-2',
        'health',
        'health-system',
        'housing',
        'joint-1',
        'joint-2',
        'market',
        'mysql',
        'prometheus',
        'proxy',
        'redis',
        'registry',
        'tax',
      ]);
    },
  );

  it(
    'the health subgraph reads the health system compose runs, with the key that system checks; the stand-in ' +
      'keeps its database in a volume',
    () => {
      const health = loadConfig(resolved(compose.services.health!.environment!));
      const system = compose.services['health-system']!;
      const settings = HealthSystemSettings.parse(resolved(system.environment!));
      expect(health.healthSystem).toEqual({
        url: `http://health-system:${settings.HEALTH_SYSTEM_PORT}`,
        apiKey: settings.HEALTH_SYSTEM_API_KEY,
      });
      expect(system.command).toEqual(['node', 'dist/connectors/upstream/health-system/main.js']);
      expect(fs.readFileSync(path.join(ROOT, 'connectors/upstream/health-system/main.ts'), 'utf8')).toMatch(
        /startHealthSystem\([\s\S]*SIGTERM/,
      );
      expect(system.volumes).toContain(`health-system-data:${path.posix.dirname(settings.HEALTH_SYSTEM_DATABASE)}`);
      expect(Object.keys(system.environment!).every((k) => k in HealthSystemSettings.shape)).toBe(true);
      // The mapping the health subgraph loads at start is in the image.
      expect(fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).toMatch(
        /^COPY --from=build \/app\/connectors connectors$/m,
      );
    },
  );

  it.each(services.map(([name]) => name))('service %s runs an entry point that exists in the code', (name) => {
    const command = compose.services[name]!.command!;
    expect(command[0]).toBe('node');
    const built = command[1]!;
    expect(built).toMatch(/^dist\/.+\.js$/);
    const source = path.join(ROOT, built.replace(/^dist\//, '').replace(/\.js$/, '.ts'));
    expect(fs.existsSync(source)).toBe(true);
    // An entry point starts a service and stops on SIGTERM: a main file that calls a runner.
    expect(path.basename(source)).toBe('main.ts');
    const text = fs.readFileSync(source, 'utf8');
    expect(text).toMatch(
      /runDepartmentProcess\(\w+\)|startDepartment\(\w+|startGateway\(|startJoint\(|startRegistry\(/,
    );
    expect(text).toMatch(/stopOnSignals|runDepartmentProcess/);
    if (!['gateway', 'joint', 'registry'].includes(roleOf(name)))
      expect(text).toContain(`import { ${name} } from './index'`);
  });

  it.each(services.map(([name]) => name))(
    'service %s sets only settings the code reads, with values it accepts',
    (name) => {
      const environment = compose.services[name]!.environment!;
      for (const key of Object.keys(environment)) expect(CONFIG_KEYS).toContain(key);
      // Interpolated as compose does with nothing set, then parsed like the service would.
      expect(() => loadConfig(resolved(environment))).not.toThrow();
    },
  );

  it(
    'the registry registers every subgraph service (itself included) at the addresses compose gives them; the ' +
      'joint service and the gateway follow the registry',
    () => {
      const subgraphs = [...new Set(services.map(([name]) => roleOf(name)).filter((n) => n !== 'gateway'))];
      const registry = loadConfig(compose.services.registry!.environment!);
      expect(registry.subgraphs.map((s) => s.name).sort()).toEqual([...subgraphs].sort());
      // The joint service's instances answer behind the proxy; every other subgraph at its own address.
      for (const s of registry.subgraphs)
        expect(s.url).toBe(s.name === 'joint' ? 'http://proxy:4100/graphql' : `http://${s.name}:4000/graphql`);
      for (const host of registry.registryAllowedHosts!) expect([host, host in compose.services]).toEqual([host, true]);
      // The instances of one service are configured alike.
      expect(compose.services['joint-2']).toEqual(compose.services['joint-1']);
      expect(compose.services['gateway-2']!.environment).toEqual(compose.services['gateway-1']!.environment);
      const joint = loadConfig(compose.services['joint-1']!.environment!);
      expect(joint.registryUrl).toBe('http://registry:4000/graphql');
      expect(joint.subgraphs).toEqual([]);
      expect(joint.jwt.privateKeyFile).toBe('/keys/private.jwk.json');
      const gateway = loadConfig(compose.services['gateway-1']!.environment!);
      // The gateway reads the registry's database (the same JOINTCHECK_DB) and keeps its last good version in its
      // volume.
      expect(gateway.db).toEqual(registry.db);
      expect(gateway.supergraph.file).toBeNull();
      expect(gateway.supergraph.cacheFile).toBe('/state/supergraph.json');
      expect(compose.services['gateway-1']!.volumes).toContain('gateway-1-state:/state');
      expect(compose.services['gateway-2']!.volumes).toContain('gateway-2-state:/state');
    },
  );

  it(
    'issue L: the proxy balances the gateways (:4000) and the joint services (:4100); every hub service shares ' +
      "the one Redis, serves /metrics to the operator's credential, and Prometheus scrapes each of them",
    () => {
      const nginx = fs.readFileSync(path.join(ROOT, 'ops', 'nginx.conf'), 'utf8');
      const upstream = (name: string) =>
        [...new RegExp(`upstream ${name} \\{([^}]*)\\}`).exec(nginx)![1]!.matchAll(/server (\S+):4000;/g)].map(
          (m) => m[1],
        );
      const instances = (role: string) => services.map(([name]) => name).filter((n) => roleOf(n) === role);
      expect(upstream('gateways')).toEqual(instances('gateway'));
      expect(upstream('joints')).toEqual(instances('joint'));
      expect(nginx).toMatch(/listen 4000;\s+location \/ \{\s+proxy_pass http:\/\/gateways;/);
      expect(nginx).toMatch(/listen 4100;\s+location \/ \{\s+proxy_pass http:\/\/joints;/);
      expect(compose.services.proxy!.volumes).toContain('./ops/nginx.conf:/etc/nginx/nginx.conf:ro');
      for (const [name, service] of services) {
        const config = loadConfig(resolved(service.environment!));
        expect([name, config.redis.url]).toEqual([name, 'redis://redis:6379/0']);
        expect([name, config.metrics.tokenFile]).toEqual([name, '/keys/metrics.token']);
        expect([name, service.volumes]).toEqual([
          name,
          expect.arrayContaining(['./keys/metrics.token:/keys/metrics.token:ro']),
        ]);
      }
      const prometheus = parse(fs.readFileSync(path.join(ROOT, 'ops', 'prometheus.yml'), 'utf8')) as {
        rule_files: string[];
        scrape_configs: Array<{
          authorization: { credentials_file: string };
          static_configs: Array<{ targets: string[] }>;
        }>;
      };
      const [job] = prometheus.scrape_configs;
      expect(job!.static_configs.flatMap((c) => c.targets).sort()).toEqual(services.map(([n]) => `${n}:4000`).sort());
      const mounts = compose.services.prometheus!.volumes!;
      expect(mounts).toContain(`./keys/metrics.token:${job!.authorization.credentials_file}:ro`);
      for (const file of prometheus.rule_files) expect(mounts).toContain(`./ops/${file}:/etc/prometheus/${file}:ro`);
      expect(mounts).toContain('./ops/prometheus.yml:/etc/prometheus/prometheus.yml:ro');
    },
  );

  it('the image is built from the Dockerfile, which builds dist/ with the build script', () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    expect(dockerfile).toContain('npm run build');
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toContain('tsconfig.build.json');
    for (const [, service] of services) expect(service.build).toBe('.');
    for (const folder of dockerfile.matchAll(/^COPY (\S+) \S+$/gm))
      expect(fs.existsSync(path.join(ROOT, folder[1]!))).toBe(true);
  });

  it(
    'the gateway serves the public page the image builds: web/ is copied in, built into dist/web by the build ' +
      'script, and dist/ is in the final image',
    () => {
      const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
      expect(dockerfile).toMatch(/^COPY web web$/m);
      expect(dockerfile).toMatch(/^WORKDIR \/app$/m);
      expect(dockerfile).toMatch(/^COPY --from=build \/app\/dist dist$/m);
      const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
        scripts: Record<string, string>;
      };
      expect(pkg.scripts.build).toContain('npm run build:web');
      expect(pkg.scripts['build:web']).toContain('scripts/web-build.ts');
      // scripts/web-build.ts builds into dist/web of the checkout, which is /app/dist/web in the image.
      expect(path.relative(ROOT, WEB_OUT_DIR)).toBe(path.join('dist', 'web'));
      const gateway = loadConfig(resolved(compose.services['gateway-1']!.environment!));
      expect(gateway.webDir).toBe('/app/dist/web');
    },
  );

  it("the image's build stage has every folder the build compiles (tsconfig.build.json's include)", () => {
    const dockerfile = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const build = JSON.parse(fs.readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    const copied = [...dockerfile.split(/^FROM /m)[1]!.matchAll(/^COPY (\S+) \S+$/gm)].map((m) => m[1]);
    expect(build.include.filter((folder) => !copied.includes(folder))).toEqual([]);
  });
});
