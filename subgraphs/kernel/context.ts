import type { Identity } from './identity';

/** What every resolver of every subgraph gets: who is asking, for this one request. */
export interface RequestContext {
  identity: Identity;
  requestId: string;
}
