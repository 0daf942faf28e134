import pino, { type Logger } from 'pino';
import type { HubConfig } from './config';

export type { Logger };

/** One JSON logger per service, named after it. */
export function createLogger(level: HubConfig['logLevel'], service: string): Logger {
  return pino({ level, base: { service } });
}
