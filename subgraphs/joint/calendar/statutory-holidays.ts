/**
 * The statutory holidays (全体公民放假的节日) that 《全国年节及纪念日放假办法》 fixes by date and by
 * the lunar calendar, for a year whose State Council holiday notice is not loaded yet: the base of
 * a provisional working-day count (working-days.ts). Computed, never typed in: the lunar dates and
 * the solar term 清明 come from the chinese-days package's lunar tables.
 *
 * The 办法 as revised by 国务院令第795号 (in force since 1 January 2025), art. 2:
 * - 元旦, 1 day: 1 January;
 * - 春节, 4 days: 农历除夕 and 正月初一 to 初三;
 * - 清明节, 1 day: the day of the solar term 清明;
 * - 劳动节, 2 days: 1 and 2 May;
 * - 端午节, 1 day: 农历五月初五;
 * - 中秋节, 1 day: 农历八月十五;
 * - 国庆节, 3 days: 1 to 3 October.
 *
 * What only the year's notice gives is left out: the days made up when a holiday falls on a
 * weekend (补假, art. 6: "应当在工作日补假", on a day the notice names), the bridging days off
 * and the weekend days worked in exchange (调休). A provisional count is therefore exact on every
 * day the notice does not touch, and may be off by those days around a holiday.
 */
import { getSolarDateFromLunar, getSolarTermDate } from 'chinese-days';

/** The first year the 2025 revision of the 办法 applies to; earlier years are in the notices the hub ships. */
export const STATUTORY_RULES_SINCE = 2025;

/** The last year the lunar tables of chinese-days reach (they end with the lunar year 2100). */
export const LUNAR_TABLES_UNTIL = 2099;

/** One statutory holiday of a year. */
export interface StatutoryHoliday {
  /** 'YYYY-MM-DD'. */
  date: string;
  /** The festival, as the 办法 names it. */
  name: string;
}

const DAY_MS = 86_400_000;

/** The day before a 'YYYY-MM-DD' date. */
function dayBefore(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** The day `n` days after a 'YYYY-MM-DD' date. */
function daysAfter(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The Gregorian date of a day of the lunar year `year` (never a leap month's). */
function lunar(year: number, month: number, day: number): string {
  return getSolarDateFromLunar(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`).date;
}

/**
 * The dates the 办法 fixes for lunar festivals and 清明 in a year: 正月初一, 清明, 端午 and 中秋.
 * Every one of them falls in the Gregorian year of the same number.
 */
export function lunarFestivals(year: number): {
  springFestival: string;
  qingming: string;
  dragonBoat: string;
  midAutumn: string;
} {
  if (!Number.isInteger(year) || year < 1901 || year > LUNAR_TABLES_UNTIL) {
    throw new RangeError(`The lunar tables reach 1901 to ${LUNAR_TABLES_UNTIL}; ${year} is outside them.`);
  }
  return {
    springFestival: lunar(year, 1, 1),
    qingming: getSolarTermDate(year, 4, 'pure_brightness'),
    dragonBoat: lunar(year, 5, 5),
    midAutumn: lunar(year, 8, 15),
  };
}

/**
 * Every statutory holiday of `year` (STATUTORY_RULES_SINCE to LUNAR_TABLES_UNTIL), by date. Two
 * festivals on one day (中秋 on 1 October) give one date, named by both.
 */
export function statutoryHolidays(year: number): StatutoryHoliday[] {
  if (year < STATUTORY_RULES_SINCE)
    throw new RangeError(`The 2025 revision of the 办法 applies from ${STATUTORY_RULES_SINCE}; ${year} is before it.`);
  const f = lunarFestivals(year);
  const y = String(year);
  const listed: StatutoryHoliday[] = [
    { date: `${y}-01-01`, name: '元旦' },
    { date: dayBefore(f.springFestival), name: '春节（除夕）' },
    ...[0, 1, 2].map((n) => ({ date: daysAfter(f.springFestival, n), name: `春节（正月初${'一二三'[n]}）` })),
    { date: f.qingming, name: '清明节' },
    { date: `${y}-05-01`, name: '劳动节' },
    { date: `${y}-05-02`, name: '劳动节' },
    { date: f.dragonBoat, name: '端午节' },
    { date: f.midAutumn, name: '中秋节' },
    ...[1, 2, 3].map((d) => ({ date: `${y}-10-0${d}`, name: '国庆节' })),
  ];
  const byDate = new Map<string, string>();
  for (const h of listed) byDate.set(h.date, byDate.has(h.date) ? `${byDate.get(h.date)}、${h.name}` : h.name);
  return [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, name]) => ({ date, name }));
}
