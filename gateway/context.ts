import type { Context } from '@opentelemetry/api';
import type { Identity } from '../kernel/identity';

/** The gateway's per-request context: the verified identity and when the caller's token expires. */
export interface GatewayContext {
  identity: Identity;
  /**
   * When the caller's token expires (seconds since the epoch); null for the public. Forwarded tokens never outlive it.
   */
  tokenExpiresAt: number | null;
  requestId: string;
  /** The caller's network address (anonymous callers are rate-limited by it). */
  clientAddress: string;
  /** Issue L: the request's trace when traces are on (its calls to subgraphs are its children). */
  trace?: Context;
}
