import type { Context } from '@opentelemetry/api';
import type { Identity } from './identity';

/** What every resolver of every subgraph gets: who is asking, for this one request. */
export interface RequestContext {
  identity: Identity;
  requestId: string;
  /** The network address the request came from (H2: anonymous callers are rate-limited by it). */
  clientAddress: string;
  /**
   * The request came from the gateway, on a token it signed for this service (H2); it applied its limits to the caller
   * already.
   */
  viaGateway?: boolean;
  /** Issue L: the request's trace (its span's context) when traces are on; its calls and the outbox carry it. */
  trace?: Context;
}
