import { startHealthSystem } from './server';
import { HealthSystemSettings } from './settings';

/**
 * `node dist/connectors/upstream/health-system/main.js`: the stand-in on its own, with the HEALTH_SYSTEM_* settings.
 */
async function main(): Promise<void> {
  const settings = HealthSystemSettings.safeParse(process.env);
  if (!settings.success)
    throw new Error(
      `Invalid settings: ${settings.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const s = settings.data;
  const system = await startHealthSystem({
    apiKey: s.HEALTH_SYSTEM_API_KEY,
    host: s.HEALTH_SYSTEM_HOST,
    port: s.HEALTH_SYSTEM_PORT,
    databaseFile: s.HEALTH_SYSTEM_DATABASE,
    registerSeed: s.HEALTH_SYSTEM_REGISTER_SEED,
    registerSize: s.HEALTH_SYSTEM_REGISTER_SIZE,
  });
  console.log(`health system (stand-in) listening at ${system.url}`);
  const stop = () => void system.stop().then(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
