import type { Identity } from '../subgraphs/kernel/identity';

/** The gateway's per-request context: the verified identity and the raw header to forward. */
export interface GatewayContext {
  identity: Identity;
  authorization: string | null;
  requestId: string;
  /** The caller's network address (anonymous callers are rate-limited by it). */
  clientAddress: string;
}
