import { randomUUID } from 'node:crypto';
import type { Logger } from '../kernel/log';
import type { SharedStore } from '../kernel/shared-store';

/** What one caller has in flight: operations, and their estimated cost together. */
export interface InFlight {
  operations: number;
  cost: number;
}

/** The callers' budget (H2): the most operations, and the most cost, one caller may have in flight at once. */
export interface Budget {
  callerConcurrency: number;
  callerCost: number;
}

/**
 * A slot taken, or why none was: the caller's operations or their cost would go over the budget, counted where
 * `scope` says ("at this gateway", or at all of them together through Redis).
 */
export type Taking =
  { taken: true; slot: Slot } | { taken: false; limit: 'concurrency' | 'cost'; inFlight: InFlight; scope: string };

/** One operation's place in its caller's budget, given back once when it ends. */
export interface Slot {
  give(): void;
}

/** Where the gateway keeps what each caller has in flight. */
export interface CallerLedger {
  take(key: string, cost: number, budget: Budget): Promise<Taking> | Taking;
  close(): Promise<void>;
}

/**
 * An operation costing more than the whole cost budget runs only when its caller has nothing else
 * in flight: refused for its cost only when others are (H2).
 */
function refusal(inFlight: InFlight, cost: number, budget: Budget): 'concurrency' | 'cost' | null {
  if (inFlight.operations + 1 > budget.callerConcurrency) return 'concurrency';
  if (inFlight.operations > 0 && inFlight.cost + cost > budget.callerCost) return 'cost';
  return null;
}

/** A slot taken, given back once however often `give` is called (an answer, and errors before it). */
function taken(giveBack: () => void): Taking {
  let given = false;
  return {
    taken: true,
    slot: {
      give: () => {
        if (given) return;
        given = true;
        giveBack();
      },
    },
  };
}

/** Each gateway instance alone: a map in memory (JOINTCHECK_REDIS_URL unset, or while Redis is away). */
export class LocalLedger implements CallerLedger {
  readonly scope = 'at this gateway';
  private readonly callers = new Map<string, InFlight>();

  take(key: string, cost: number, budget: Budget): Taking {
    const mine = this.callers.get(key) ?? { operations: 0, cost: 0 };
    const limit = refusal(mine, cost, budget);
    if (limit) return { taken: false, limit, inFlight: { ...mine }, scope: this.scope };
    mine.operations += 1;
    mine.cost += cost;
    this.callers.set(key, mine);
    return taken(() => {
      mine.operations -= 1;
      mine.cost -= cost;
      if (mine.operations <= 0 && this.callers.get(key) === mine) this.callers.delete(key);
    });
  }

  async close(): Promise<void> {}
}

/** How long a slot lives in Redis unless its gateway renews it (a gateway killed mid-operation frees it by then). */
export const SLOT_LEASE_MS = 15_000;
/** How often a gateway renews the leases of the slots it holds. */
const RENEW_EVERY_MS = 5_000;

/**
 * Takes a slot atomically: drops the caller's slots whose lease ran out, sums the rest (each
 * member is `<slot id>|<cost>`), and adds this one when the budget allows. Redis's own clock
 * (TIME) times the leases, so the gateways' clocks need not agree.
 * Returns { 2 = taken | 0 = over the concurrency | 1 = over the cost, operations, cost }.
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local members = redis.call('ZRANGE', KEYS[1], 0, -1)
local ops = #members
local cost = 0
for _, m in ipairs(members) do cost = cost + tonumber(string.match(m, '|(%d+)$')) end
local want = tonumber(ARGV[2])
if ops + 1 > tonumber(ARGV[3]) then return {0, ops, cost} end
if ops > 0 and cost + want > tonumber(ARGV[4]) then return {1, ops, cost} end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[5]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[5]) * 2)
return {2, ops, cost}
`;

/** Renews the leases of slots still held (XX: a slot given back meanwhile is not brought back). */
const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, member in ipairs(ARGV) do
  if i > 1 then redis.call('ZADD', KEYS[i - 1], 'XX', now + tonumber(ARGV[1]), member) end
end
for _, key in ipairs(KEYS) do redis.call('PEXPIRE', key, tonumber(ARGV[1]) * 2) end
return 1
`;

/**
 * Issue L: every gateway instance draws on one budget per caller, kept in Redis (a sorted set per
 * caller: its slots, each with a lease the holding gateway renews every 5 s; a gateway killed
 * mid-operation frees its slots within SLOT_LEASE_MS). While Redis cannot be reached, slots are
 * taken from this instance's own ledger (LocalLedger), as without Redis; a slot is given back to
 * the ledger it came from.
 */
export class RedisLedger implements CallerLedger {
  readonly scope = "at the hub's gateways together";
  private readonly alone = new LocalLedger();
  /** Slots this instance holds in Redis: key → members, renewed until given back. */
  private readonly held = new Map<string, Set<string>>();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly store: SharedStore,
    private readonly logger: Logger,
    /** How long a slot outlives a gateway that stopped renewing it (tests shorten it). */
    private readonly leaseMs = SLOT_LEASE_MS,
  ) {
    this.renewal = setInterval(() => void this.renew(), Math.min(RENEW_EVERY_MS, leaseMs / 3));
    this.renewal.unref();
  }

  private redisKey(key: string): string {
    return `${this.store.prefix}budget:${key}`;
  }

  async take(key: string, cost: number, budget: Budget): Promise<Taking> {
    if (!this.store.connected) {
      this.store.tookAlone('budget');
      return this.alone.take(key, cost, budget);
    }
    const whole = Math.max(0, Math.round(cost));
    const member = `${randomUUID()}|${whole}`;
    const redisKey = this.redisKey(key);
    let answer: [number, number, number];
    try {
      answer = (await this.store.client.eval(
        TAKE,
        1,
        redisKey,
        member,
        String(whole),
        String(budget.callerConcurrency),
        String(budget.callerCost),
        String(this.leaseMs),
      )) as [number, number, number];
    } catch (error) {
      // Redis went away (or did not answer in time) between the check and the call: this instance decides.
      this.logger.debug({ err: error }, 'callers budget: Redis did not answer; counted here');
      this.store.tookAlone('budget');
      return this.alone.take(key, cost, budget);
    }
    const [outcome, operations, inFlightCost] = answer;
    if (outcome !== 2)
      return {
        taken: false,
        limit: outcome === 0 ? 'concurrency' : 'cost',
        inFlight: { operations, cost: inFlightCost },
        scope: this.scope,
      };
    const mine = this.held.get(redisKey) ?? new Set<string>();
    mine.add(member);
    this.held.set(redisKey, mine);
    return taken(() => {
      mine.delete(member);
      if (mine.size === 0 && this.held.get(redisKey) === mine) this.held.delete(redisKey);
      // Not given back (Redis away): not renewed either, so its lease runs out within the lease.
      this.store.client.zrem(redisKey, member).catch(() => undefined);
    });
  }

  private async renew(): Promise<void> {
    if (this.held.size === 0 || !this.store.connected) return;
    const keys = [...this.held.keys()];
    const members = keys.flatMap((k) => [...this.held.get(k)!].map((m) => [k, m] as const));
    try {
      // Every slot held, in one call: KEYS[i] (its caller's set) pairs with ARGV[i + 1] (the slot).
      await this.store.client.eval(
        RENEW,
        members.length,
        ...members.map(([k]) => k),
        String(this.leaseMs),
        ...members.map(([, m]) => m),
      );
    } catch (error) {
      this.logger.debug({ err: error }, 'callers budget: leases not renewed this time');
    }
  }

  async close(): Promise<void> {
    clearInterval(this.renewal);
  }
}
