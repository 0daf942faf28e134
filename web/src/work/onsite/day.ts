import { addDays, chinaDate } from '../../format';

const DAY_MS = 86_400_000;

/**
 * The day of a visit entered on the phone (issue J), by the hub's calendar: the hub's today when the
 * visits were kept, moved on by as many China days as the phone has seen pass since. Visits kept on
 * 31 December and checked on 2 January, offline, default to 2 January; a training hub whose clock
 * was moved keeps its own dates. The inspector can still change it; the hub checks it (between the
 * lock and its today).
 */
export function visitDay(hubToday: string, keptAt: string, now: Date = new Date()): string {
  const elapsed = Math.round(
    (Date.parse(`${chinaDate(now)}T00:00:00Z`) - Date.parse(`${chinaDate(keptAt)}T00:00:00Z`)) / DAY_MS,
  );
  return addDays(hubToday, Math.max(0, elapsed));
}
