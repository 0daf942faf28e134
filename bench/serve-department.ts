import 'reflect-metadata';
import { BUILTIN_DEPARTMENTS } from '../subgraphs';
import { loadConfig } from '../kernel/config';
import { startDepartment } from '../subgraphs/department-kernel/run';
import { loadVerifier } from '../kernel/keys';
import { createLogger } from '../kernel/log';

/**
 * A department subgraph in a process of its own, as deployed (one container per service), for the
 * benchmarks: `node bench/serve-department.ts <code>`, configured by the environment; prints
 * `{"url": ...}` on stdout once listening, stops on SIGTERM.
 */
async function main(): Promise<void> {
  const code = process.argv[2];
  const module = BUILTIN_DEPARTMENTS.find((d) => d.definition.code === code);
  if (!module || module.definition.existingSystem) throw new Error(`unknown native department ${code}`);
  const config = loadConfig();
  const running = await startDepartment(module, config, {
    verifier: await loadVerifier(config),
    logger: createLogger(config.logLevel, code!),
    port: 0,
  });
  process.stdout.write(`${JSON.stringify({ url: running.url })}\n`);
  process.once('SIGTERM', () => {
    void running.stop().then(() => process.exit(0));
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
