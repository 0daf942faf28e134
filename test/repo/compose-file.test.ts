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

/** Services that are not the hub's: the stand-in for the health commission's existing system. */
const STAND_INS = ['health-system'];

/**
 * docker-compose.yml cannot be run here (no Docker engine), so what can be checked is checked:
 * every service's entry point exists in the code, every setting it passes is one the code reads
 * (and parses), and the gateway composes exactly the department services.
 */
describe('docker-compose.yml is true to the code', () => {
  const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
  const services = Object.entries(compose.services).filter(([name]) => name !== 'mysql' && !STAND_INS.includes(name));

  it(
    'has MySQL, the gateway, the registry, the joint service, every built-in department and the health ' +
      "system's stand-in",
    () => {
      expect(Object.keys(compose.services).sort()).toEqual([
        'environment',
        'fire',
        'gateway',
        'health',
        'health-system',
        'housing',
        'joint',
        'market',
        'mysql',
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
    if (!['gateway', 'joint', 'registry'].includes(name)) expect(text).toContain(`import { ${name} } from './index'`);
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
      const subgraphs = services.map(([name]) => name).filter((n) => n !== 'gateway');
      const registry = loadConfig(compose.services.registry!.environment!);
      expect(registry.subgraphs.map((s) => s.name).sort()).toEqual([...subgraphs].sort());
      for (const s of registry.subgraphs) expect(s.url).toBe(`http://${s.name}:4000/graphql`);
      const joint = loadConfig(compose.services.joint!.environment!);
      expect(joint.registryUrl).toBe('http://registry:4000/graphql');
      expect(joint.subgraphs).toEqual([]);
      expect(joint.jwt.privateKeyFile).toBe('/keys/private.jwk.json');
      const gateway = loadConfig(compose.services.gateway!.environment!);
      // The gateway reads the registry's database (the same JOINTCHECK_DB) and keeps its last good version in its
      // volume.
      expect(gateway.db).toEqual(registry.db);
      expect(gateway.supergraph.file).toBeNull();
      expect(gateway.supergraph.cacheFile).toBe('/state/supergraph.json');
      expect(compose.services.gateway!.volumes).toContain('gateway-state:/state');
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
      const gateway = loadConfig(resolved(compose.services.gateway!.environment!));
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
