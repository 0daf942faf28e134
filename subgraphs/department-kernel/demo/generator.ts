import seedrandom from 'seedrandom';
import { CreditLevel, RiskLevel, TargetKind } from '../contract/enums';
import { organisationCodeCheck, usccCheckCharacter } from '../../../kernel/uscc';
import { BRAND_CHARS, GIVEN_CHARS, INDUSTRIES, REGIONS, SHOP_WORDS, SURNAMES } from './names';

/**
 * Deterministic demo data. Every record is derived from the seed and its own index alone
 * (a PRNG per record), so the same seed gives the same data whatever the total count, and a
 * 1,000,000-entity roster for benchmarks can be streamed without holding it in memory.
 */

export type Rng = () => number;

/** A PRNG for one record: `seed/what/index`. */
export function rngFor(seed: string, ...path: Array<string | number>): Rng {
  return seedrandom.alea(`${seed}/${path.join('/')}`);
}

export const pick = <T>(rng: Rng, items: readonly T[] | string): T => items[Math.floor(rng() * items.length)] as T;
export const chance = (rng: Rng, p: number): boolean => rng() < p;

export function personName(rng: Rng): string {
  return (
    pick<string>(rng, SURNAMES) +
    pick<string>(rng, GIVEN_CHARS) +
    (chance(rng, 0.6) ? pick<string>(rng, GIVEN_CHARS) : '')
  );
}

const TOTAL_WEIGHT = INDUSTRIES.reduce((sum, i) => sum + i.weight, 0);
function weightedIndustry(rng: Rng): (typeof INDUSTRIES)[number] {
  let x = rng() * TOTAL_WEIGHT;
  for (const industry of INDUSTRIES) {
    x -= industry.weight;
    if (x < 0) return industry;
  }
  return INDUSTRIES[INDUSTRIES.length - 1]!;
}

/** Registration status on the market register. */
export const ENTITY_STATUSES = ['OPERATING', 'REVOKED', 'CANCELLED', 'MOVED_OUT'] as const;
export type EntityStatus = (typeof ENTITY_STATUSES)[number];

/** A market entity as the market register holds it, plus a hidden latent risk that departments' views share. */
export interface DemoEntity {
  index: number;
  uscc: string;
  name: string;
  kind: TargetKind;
  legalRepresentative: string;
  address: string;
  regionCode: string;
  industryCode: string;
  registeredOn: string;
  status: EntityStatus;
  abnormal: boolean;
  /** 0 (clean) .. 1 (troubled): correlates departments' views, never stored. */
  latentRisk: number;
}

/**
 * The USCC of entity i: authority 9 (market regulation), category 1/2/3 (enterprise, individual
 * business, co-op), region, an organisation code unique per index (a bijection of i) with its
 * GB 11714 check, and the GB 32100 check character.
 */
export function demoUscc(index: number, kind: TargetKind, regionCode: string): string {
  const category = kind === TargetKind.ENTERPRISE ? '1' : kind === TargetKind.INDIVIDUAL_BUSINESS ? '2' : '3';
  // 7_919 is coprime with 10^8, so i -> i*7919 mod 10^8 never repeats below 10^8.
  const body = String((index * 7_919 + 12_345_678) % 100_000_000).padStart(8, '0');
  const first17 = `9${category}${regionCode}${body}${organisationCodeCheck(body)}`;
  return first17 + usccCheckCharacter(first17);
}

export function demoEntity(seed: string, index: number): DemoEntity {
  const rng = rngFor(seed, 'entity', index);
  const region = pick(rng, REGIONS);
  const roll = rng();
  let industry = weightedIndustry(rng);
  const kind =
    roll < 0.05 ? TargetKind.COOPERATIVE : roll < 0.3 ? TargetKind.INDIVIDUAL_BUSINESS : TargetKind.ENTERPRISE;
  if (kind === TargetKind.COOPERATIVE) industry = INDUSTRIES[0]!;
  const brand = pick<string>(rng, BRAND_CHARS) + pick<string>(rng, BRAND_CHARS);
  const name =
    kind === TargetKind.ENTERPRISE
      ? `上海${brand}${industry.word}${chance(rng, 0.1) ? '股份' : ''}有限公司`
      : kind === TargetKind.COOPERATIVE
        ? `上海${region.name.replace('区', '').replace('新', '')}${brand}果蔬专业合作社`
        : `${region.name}${brand}${SHOP_WORDS[industry.code] ?? '经营部'}`;
  const latentRisk = rng() ** 2;
  const statusRoll = rng();
  const status: EntityStatus =
    statusRoll < 0.03 ? 'REVOKED' : statusRoll < 0.05 ? 'CANCELLED' : statusRoll < 0.06 ? 'MOVED_OUT' : 'OPERATING';
  const year = 2000 + Math.floor(rng() * 26);
  const registeredOn = `${year}-${String(1 + Math.floor(rng() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rng() * 28)).padStart(2, '0')}`;
  return {
    index,
    uscc: demoUscc(index, kind, region.code),
    name,
    kind,
    legalRepresentative: personName(rng),
    address: `上海市${region.name}${pick(rng, region.roads)}${1 + Math.floor(rng() * 2000)}号`,
    regionCode: region.code,
    industryCode: industry.code,
    registeredOn,
    status,
    abnormal: status === 'OPERATING' && rng() < 0.02 + 0.15 * latentRisk,
    latentRisk,
  };
}

/** Streams entities 0..count-1 (for 1,000,000-row benchmark rosters without holding them). */
export function* demoEntities(seed: string, count: number, from = 0): Generator<DemoEntity> {
  for (let i = from; i < count; i++) yield demoEntity(seed, i);
}

/** How one department sees an entity: its own classes, correlated with the others through the latent risk (R13). */
export interface DemoDepartmentFacts {
  creditLevel: CreditLevel;
  riskLevel: RiskLevel;
  penaltiesLast3Years: number;
  verifiedComplaints: number;
}

export function demoFacts(
  seed: string,
  department: string,
  entity: Pick<DemoEntity, 'index' | 'latentRisk'>,
): DemoDepartmentFacts {
  const rng = rngFor(seed, department, entity.index);
  const score = 0.7 * entity.latentRisk + 0.3 * rng();
  const risk = 0.6 * entity.latentRisk + 0.4 * rng();
  return {
    creditLevel:
      score < 0.25 ? CreditLevel.A : score < 0.5 ? CreditLevel.B : score < 0.7 ? CreditLevel.C : CreditLevel.D,
    riskLevel:
      risk < 0.3 ? RiskLevel.LOW : risk < 0.55 ? RiskLevel.GENERAL : risk < 0.72 ? RiskLevel.ELEVATED : RiskLevel.HIGH,
    penaltiesLast3Years: score > 0.75 ? 1 + Math.floor(rng() * 3) : score > 0.6 && chance(rng, 0.3) ? 1 : 0,
    verifiedComplaints: risk > 0.7 ? Math.floor(rng() * 4) : chance(rng, 0.03) ? 1 : 0,
  };
}

/** A stable fraction in [0, 1) for an entity and a purpose (who is on which roster), from the seed. */
export function entityFraction(seed: string, entity: Pick<DemoEntity, 'index'>, purpose: string): number {
  return rngFor(seed, purpose, entity.index)();
}
