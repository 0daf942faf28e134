import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { TargetKind } from '../department-kernel/contract/enums';
import type { MarketEntityRow } from './entities';

/** Registration status on the market register. */
export enum EntityStatus {
  OPERATING = 'OPERATING',
  REVOKED = 'REVOKED',
  CANCELLED = 'CANCELLED',
  MOVED_OUT = 'MOVED_OUT',
}
registerEnumType(EntityStatus, {
  name: 'EntityStatus',
  description: 'Registration status: operating (存续), licence revoked (吊销), deregistered (注销), moved out (迁出).',
});

/**
 * The shared target entity of the hub, owned by market supervision. Every department adds its
 * view of it (`MarketEntity.tax`, ...). Registration data is public (it is on the credit system).
 */
@Directive('@key(fields: "uscc")')
@ObjectType('MarketEntity', {
  description: 'A market entity (enterprise, individual business, co-op), keyed by its USCC.',
})
export class MarketEntity {
  @Field({ description: 'Unified social credit code (GB 32100-2015).' })
  uscc!: string;

  @Field()
  name!: string;

  @Field(() => TargetKind)
  kind!: TargetKind;

  @Field({ description: 'Legal representative (法定代表人) or operator.' })
  legalRepresentative!: string;

  @Field()
  registeredAddress!: string;

  @Field()
  regionCode!: string;

  @Field()
  industryCode!: string;

  @Field({ description: 'Date of registration (YYYY-MM-DD).' })
  registeredOn!: string;

  @Field(() => EntityStatus)
  status!: EntityStatus;

  @Field({ description: 'On the abnormal-operation list (经营异常名录): raises the draw probability (R13).' })
  onAbnormalList!: boolean;
}

/** The one mapping from a register row to the public `MarketEntity` (the column `address` is `registeredAddress`). */
export function toMarketEntity(row: MarketEntityRow): MarketEntity {
  return {
    uscc: row.uscc,
    name: row.name,
    kind: row.kind as TargetKind,
    legalRepresentative: row.legalRepresentative,
    registeredAddress: row.address,
    regionCode: row.regionCode,
    industryCode: row.industryCode,
    registeredOn: row.registeredOn,
    status: row.status as EntityStatus,
    onAbnormalList: row.abnormal,
  };
}
