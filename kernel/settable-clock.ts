/**
 * A clock the hub can be started on (`startHub(config, { clock: () => clock.now() })`) and that a
 * script can move: the demo year (scripts/demo-activity.ts) sets it to each day it acts on, so
 * every service stamps the plans, draws, results and publications of that day with it, then
 * releases it. Unset, it is real time.
 *
 * A set time runs on as real time does (set to 10:00, it reads 10:00:05 five seconds later), so
 * what waits on the clock (a delivery retried after a backoff) still comes due while it is set.
 */
export class SettableClock {
  /** The time set, and the real time (ms) when it was set; null when real time is shown. */
  private override: { at: number; setAtReal: number } | null = null;

  /** Now: the time set plus the real time since it was set, or real time when none is set. */
  now(): Date {
    if (!this.override) return new Date();
    return new Date(this.override.at + (Date.now() - this.override.setAtReal));
  }

  /** From now on the clock reads `date`, running on from it. */
  set(date: Date): void {
    if (!Number.isFinite(date.getTime())) throw new Error('SettableClock.set: not a valid date.');
    this.override = { at: date.getTime(), setAtReal: Date.now() };
  }

  /** Back to real time. */
  release(): void {
    this.override = null;
  }

  /** Whether a time is set (the clock is not showing real time). */
  get isSet(): boolean {
    return this.override !== null;
  }
}
