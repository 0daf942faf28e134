import { z } from 'zod';

/**
 * The health system's stand-in as a process of its own (docker-compose's `health-system`): not
 * part of the hub, so it has its own settings, not JOINTCHECK_*. A real deployment points the
 * health subgraph (JOINTCHECK_HEALTH_SYSTEM_URL/KEY) at the commission's system instead.
 */
export const HealthSystemSettings = z.object({
  HEALTH_SYSTEM_API_KEY: z.string().min(8, 'at least 8 characters'),
  HEALTH_SYSTEM_HOST: z.string().default('0.0.0.0'),
  HEALTH_SYSTEM_PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HEALTH_SYSTEM_DATABASE: z.string().default('health-system.sqlite'),
  /** Its units are entities of this demo register (JOINTCHECK_DEMO_SEED and _TARGETS of the hub). */
  HEALTH_SYSTEM_REGISTER_SEED: z.string().min(1).default('jointcheck-demo'),
  HEALTH_SYSTEM_REGISTER_SIZE: z.coerce.number().int().min(1).max(2_000_000).default(20_000),
});
