import type DataLoader from 'dataloader';
import type { OwnContext } from '../department-kernel/define';
import type { MarketEntityRow } from './entities';

/** What market's own resolvers add to a department's request context: the register by USCC. */
export interface MarketOwn {
  entityByUscc: DataLoader<string, MarketEntityRow | null>;
}

export type MarketContext = OwnContext<MarketOwn>;
