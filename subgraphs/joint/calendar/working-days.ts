/**
 * Working days (工作日) for deadlines such as R11 (plans published within 5 working days) and R25
 * (results published within 20 working days), on the national holiday calendar with its swapped
 * working weekends (调休). DOMAIN.md, "Working days".
 *
 * How days are counted:
 * - A date is a calendar date in China (Asia/Shanghai, UTC+8, no daylight saving), written
 *   'YYYY-MM-DD'. An instant is turned into that date with `chinaDate`.
 * - A date is a working day unless it is a holiday (放假) of the State Council's notice for its
 *   year, or a Saturday or Sunday that the notice does not list as a swapped working day
 *   (调休上班). Holidays are never working days, even if they fall on a weekday; a swapped
 *   working day is a working day although it falls on a weekend.
 * - "Within n working days of X": the day X itself is not counted (day 0, as 民法典 art. 201:
 *   开始的当日不计入，自下一日开始计算). Day 1 is the first working day after X, and the
 *   deadline is the n-th working day after X: `addWorkingDays(X, n)`. Acting on that day, China
 *   time, is in time.
 * - `workingDaysBetween(X, D)` counts the working days d with X < d <= D; so something made on X
 *   is late on D exactly when `workingDaysBetween(X, D) > n`, i.e. `D > addWorkingDays(X, n)`.
 * - A year is covered (final) when its notice is loaded: its data lists at least one holiday
 *   (every notice has at least 元旦). A year without one is counted provisionally (R11, R25 go on
 *   at the turn of the year): weekends plus the statutory holidays the 办法 fixes by date and by
 *   the lunar calendar (statutory-holidays.ts), without the 补假 and 调休 only the notice gives.
 *   Every answer built on such a count says so (`yearsWithoutNotice`), and becomes final once the
 *   year's file is loaded: nothing computed from the calendar is stored as final. Only years the
 *   rules and the lunar tables reach (2025 to 2099) are computed; a date outside every covered
 *   and computable year is refused with BAD_USER_INPUT.
 */
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot, type HubConfig } from '../../../kernel/config';
import { badInput } from '../../../kernel/errors';
import { LUNAR_TABLES_UNTIL, STATUTORY_RULES_SINCE, statutoryHolidays } from './statutory-holidays';

/** One year of the State Council's holiday notice: the holidays and the swapped working days. */
export interface CalendarYear {
  /** The calendar year, e.g. 2027. */
  year: number;
  /** Where the dates come from: the notice (国务院办公厅关于YYYY年部分节假日安排的通知), or the package. */
  source: string;
  /** Every date off (放假) in that year, weekends inside a holiday included, 'YYYY-MM-DD'. */
  holidays: readonly string[];
  /** Every weekend date that is a working day (调休上班) in that year, 'YYYY-MM-DD'. */
  workdays: readonly string[];
}

/**
 * The folder of year files (`YYYY.json`) shipped with the hub, in the checkout (and in the image,
 * /app/subgraphs/joint/calendar/data): found from the project root, so the compiled build (dist/,
 * which holds no JSON) reads the same files. The setting JOINTCHECK_CALENDAR_DIR names another.
 */
export const CALENDAR_DATA_DIR = path.join(projectRoot(), 'subgraphs', 'joint', 'calendar', 'data');

/** The data folder as named in error messages, relative to the repository root. */
const CALENDAR_DATA_LABEL = 'subgraphs/joint/calendar/data';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a valid 'YYYY-MM-DD', or null if the text is not such a date. */
function dayNumberOf(date: string): number | null {
  const m = DATE_PATTERN.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** 'YYYY-MM-DD' of a day number (days since 1970-01-01). */
function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function yearOf(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** Saturday or Sunday; 1970-01-01 was a Thursday. */
function isWeekend(day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return weekday === 0 || weekday === 6;
}

/** Parses a caller's date or refuses it with BAD_USER_INPUT naming the field. */
function parseDate(date: string, field: string): number {
  const day = typeof date === 'string' ? dayNumberOf(date) : null;
  if (day === null) {
    throw badInput(
      `${field} must be a calendar date written YYYY-MM-DD (e.g. 2025-10-09), got ${JSON.stringify(date)}.`,
      {
        field,
      },
    );
  }
  return day;
}

/**
 * The date in China (Asia/Shanghai, UTC+8 all year, no DST) of an instant, 'YYYY-MM-DD'.
 * Pure arithmetic, no Intl: an instant at 16:00 UTC is already the next day in China.
 */
export function chinaDate(instant: Date): string {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms))
    throw badInput('The instant to convert to a China date is not a valid time.', { field: 'instant' });
  return dateOf(Math.floor((ms + CHINA_OFFSET_MS) / DAY_MS));
}

/**
 * Checks one year of calendar data, from a data file, the package or a test, and throws an Error
 * naming `origin` on anything wrong: an operator mistake in a notice file must stop the start-up,
 * not shift deadlines. A year with no holiday is refused: that is an uncovered year, not data.
 */
export function checkCalendarYear(raw: unknown, origin: string): CalendarYear {
  const fail = (problem: string): never => {
    throw new Error(`Working-day calendar ${origin}: ${problem}`);
  };
  if (typeof raw !== 'object' || raw === null) return fail('expected an object { year, source, holidays, workdays }.');
  const { year, source, holidays, workdays } = raw as Record<string, unknown>;
  if (typeof year !== 'number' || !Number.isInteger(year) || year < 1000 || year > 9999)
    return fail('"year" must be a four-digit year.');
  if (typeof source !== 'string' || source.trim() === '') {
    return fail(
      `"source" must cite the notice (国务院办公厅关于${year}年部分节假日安排的通知, with its document number).`,
    );
  }
  const dates = (key: string, value: unknown): string[] => {
    if (!Array.isArray(value)) return fail(`"${key}" must be a list of 'YYYY-MM-DD' dates.`);
    for (const d of value) {
      const day = typeof d === 'string' ? dayNumberOf(d) : null;
      if (day === null) fail(`"${key}" holds ${JSON.stringify(d)}, which is not a 'YYYY-MM-DD' date.`);
      else if (yearOf(day) !== year) fail(`"${key}" holds ${d}, which is not in ${year}.`);
    }
    return [...new Set(value as string[])].sort();
  };
  const h = dates('holidays', holidays);
  const w = dates('workdays', workdays);
  if (h.length === 0) fail('"holidays" is empty; a year is covered only with its notice\'s holidays (元旦 at least).');
  for (const d of w) {
    if (!isWeekend(dayNumberOf(d) as number))
      fail(`"workdays" holds ${d}, a weekday; list only weekend days worked (调休上班).`);
    if (h.includes(d)) fail(`${d} is listed both as a holiday and as a working day.`);
  }
  return { year, source, holidays: h, workdays: w };
}

/** A deadline and whether it is final (R11, R25). */
export interface Deadline {
  /** The last day, 'YYYY-MM-DD' (China). */
  date: string;
  /** The years without a notice the count went through: empty when final, else the date is provisional. */
  provisionalYears: number[];
}

/** Options of a calendar. */
export interface WorkingDayCalendarOptions {
  /**
   * The folder named in messages about a year without its notice (the setting JOINTCHECK_CALENDAR_DIR).
   * @default 'subgraphs/joint/calendar/data'
   */
  dataDirLabel?: string;
}

/**
 * Working days over the years whose notice is loaded (final) and, provisionally, the years the
 * 办法's statutory holidays can be computed for (see the top of this file for the counting).
 * Every method refuses, with BAD_USER_INPUT, a malformed date or a date in a year that is neither.
 * Build it once (`defaultCalendar()`) and share it.
 */
export class WorkingDayCalendar {
  private readonly years = new Map<number, CalendarYear>();
  private readonly holidays = new Set<number>();
  private readonly workdays = new Set<number>();
  /** Years whose days are in the sets: every covered year, and provisional years once asked for. */
  private readonly prepared = new Set<number>();
  private readonly dataDirLabel: string;

  /** Takes each covered year's data once; a year given twice is a programmer error. */
  constructor(years: readonly CalendarYear[], options: WorkingDayCalendarOptions = {}) {
    this.dataDirLabel = options.dataDirLabel ?? CALENDAR_DATA_LABEL;
    for (const raw of years) {
      const y = checkCalendarYear(raw, `year ${String(raw.year)} (${String(raw.source)})`);
      if (this.years.has(y.year)) throw new Error(`Working-day calendar: year ${y.year} is given twice.`);
      this.years.set(y.year, y);
      this.prepared.add(y.year);
      for (const d of y.holidays) this.holidays.add(dayNumberOf(d) as number);
      for (const d of y.workdays) this.workdays.add(dayNumberOf(d) as number);
    }
  }

  /** Whether `year`'s notice is loaded, so that working days in it are final. */
  isCovered(year: number): boolean {
    return this.years.has(year);
  }

  /** The covered years, ascending. */
  coveredYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  /** Where a covered year's dates come from (the notice or the package), or undefined. */
  sourceOf(year: number): string | undefined {
    return this.years.get(year)?.source;
  }

  /**
   * The years from the one of `from` to the one of `to` (either order, both included) whose notice
   * is not loaded: a count over those dates is provisional exactly when this is not empty.
   */
  yearsWithoutNotice(from: string, to: string): number[] {
    const [a, b] = [yearOf(parseDate(from, 'from')), yearOf(parseDate(to, 'to'))].sort((x, y) => x - y) as [
      number,
      number,
    ];
    const out: number[] = [];
    for (let year = a; year <= b; year++) if (!this.years.has(year)) out.push(year);
    return out;
  }

  /** The sentence that explains a provisional count over `years` (for messages, logs and health). */
  provisionalNote(years: readonly number[]): string {
    if (years.length === 0) return '';
    const list = years.join(', ');
    return (
      `No holiday notice is loaded for ${list}: working days there are counted provisionally, on weekends and ` +
      `the statutory holidays of ` +
      `《全国年节及纪念日放假办法》 without the swapped days (调休) and make-up days (补假) only the notice gives. ` +
      (`Add ${this.dataDirLabel}/${years[0]}.json from the State Council's notice ` +
        `(国务院办公厅关于${years[0]}年部分节假日安排的通知) and restart; `) +
      `${this.dataDirLabel}/README.md shows the format.`
    );
  }

  /** Whether `date` ('YYYY-MM-DD', China) is a working day: not a holiday, and a weekday or 调休上班. */
  isWorkingDay(date: string): boolean {
    return this.working(this.covered(parseDate(date, 'date')));
  }

  /**
   * The n-th working day after `from` (n >= 1; `from` itself is not counted): the last day of a
   * "within n working days" deadline (R11: 5, R25: 20). Provisional when `yearsWithoutNotice(from, result)` is not
   * empty.
   */
  addWorkingDays(from: string, n: number): string {
    let day = this.covered(parseDate(from, 'from'));
    if (!Number.isInteger(n) || n < 1) {
      throw badInput(`The number of working days must be a whole number of at least 1, got ${String(n)}.`, {
        field: 'n',
      });
    }
    for (let left = n; left > 0;) {
      day = this.covered(day + 1);
      if (this.working(day)) left--;
    }
    return dateOf(day);
  }

  /**
   * The deadline "within n working days of `from`" (`addWorkingDays`) with the years without a
   * notice it was counted through: empty when the deadline is final, else it is provisional.
   */
  deadline(from: string, n: number): Deadline {
    const date = this.addWorkingDays(from, n);
    return { date, provisionalYears: this.yearsWithoutNotice(from, date) };
  }

  /**
   * The working days after `from` up to and including `to`; negative (the same count) when `to`
   * is before `from`, 0 when they are equal.
   */
  workingDaysBetween(from: string, to: string): number {
    const a = this.covered(parseDate(from, 'from'));
    const b = this.covered(parseDate(to, 'to'));
    const [lo, hi, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    let count = 0;
    for (let day = lo + 1; day <= hi; day++) if (this.working(this.covered(day))) count++;
    return sign * count;
  }

  /**
   * The working days left on `today` until `deadline` (R25, R31): 0 on the deadline day, n when
   * the deadline is the n-th working day after today, negative once it has passed (-1 on the first
   * working day after it). A day off counts as the working day after it, the next day anyone can
   * act (and a deadline on a day off moves to that day, as 民法典 art. 203): on the Saturday before
   * a Monday deadline 0 are left, and on the Saturday after a Friday deadline it is -1, so a
   * deadline that has passed is never 0: `workingDaysLeft(t, d) < 0` exactly when `t > d` for a
   * deadline d that is a working day (as `addWorkingDays` gives).
   */
  workingDaysLeft(today: string, deadline: string): number {
    const from = this.nextWorkingDay(this.covered(parseDate(today, 'today')));
    const to = this.nextWorkingDay(this.covered(parseDate(deadline, 'deadline')));
    return this.workingDaysBetween(dateOf(from), dateOf(to));
  }

  /** `day` if it is a working day, else the first working day after it. */
  private nextWorkingDay(day: number): number {
    while (!this.working(day)) day = this.covered(day + 1);
    return day;
  }

  private working(day: number): boolean {
    if (this.holidays.has(day)) return false;
    return !isWeekend(day) || this.workdays.has(day);
  }

  /**
   * Returns `day` once its year's days are known: a covered year's from its notice, another's
   * computed provisionally from the 办法 the first time it is needed; a year neither reaches is
   * refused, saying which years can be counted.
   */
  private covered(day: number): number {
    const year = yearOf(day);
    if (this.prepared.has(year)) return day;
    if (year < STATUTORY_RULES_SINCE || year > LUNAR_TABLES_UNTIL) {
      const years = this.coveredYears();
      const range = years.length === 0 ? 'none' : `${years[0]}–${years[years.length - 1]}`;
      throw badInput(
        `Working days cannot be counted for ${dateOf(day)}: ${year} has no holiday notice loaded (loaded: ` +
          `${range}) and is outside the years ` +
          (`${STATUTORY_RULES_SINCE}–${LUNAR_TABLES_UNTIL} whose statutory holidays the hub computes. Check ` +
            `the date; for a year of the past, `) +
          `add ${this.dataDirLabel}/${year}.json from the State Council's notice on ${year}'s holidays and restart.`,
        { year },
      );
    }
    for (const h of statutoryHolidays(year)) this.holidays.add(dayNumberOf(h.date) as number);
    this.prepared.add(year);
    return day;
  }
}

/**
 * The years in the chinese-days package's shipped data (dist/chinese-days.json), grouped by the
 * year of each date. A year counts as covered only if the package lists at least one holiday in
 * it: for a year it has no data for, the package answers "plain weekdays", which is a guess.
 */
export function packageCalendarYears(): CalendarYear[] {
  const file = require.resolve('chinese-days/dist/chinese-days.json');
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { holidays?: object; workdays?: object };
  const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(file), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  const byYear = new Map<number, { holidays: string[]; workdays: string[] }>();
  const entry = (date: string) => {
    const year = Number(date.slice(0, 4));
    let e = byYear.get(year);
    if (!e) byYear.set(year, (e = { holidays: [], workdays: [] }));
    return e;
  };
  for (const d of Object.keys(data.holidays ?? {})) entry(d).holidays.push(d);
  for (const d of Object.keys(data.workdays ?? {})) entry(d).workdays.push(d);
  return [...byYear]
    .filter(([, e]) => e.holidays.length > 0)
    .map(([year, e]) =>
      checkCalendarYear(
        { year, source: `chinese-days@${version} (dist/chinese-days.json)`, ...e },
        `chinese-days@${version}, ${year}`,
      ),
    );
}

/**
 * The year files (`YYYY.json`) of a data folder. A missing folder is an operator's mistake (a
 * setting pointing nowhere would silently make every year provisional), and so is a file whose
 * name is not `YYYY.json` or whose `year` differs from its name: each is refused naming it.
 */
export function loadCalendarDir(dir: string): CalendarYear[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(
        `Working-day calendar: the folder ${dir} does not exist. Set JOINTCHECK_CALENDAR_DIR to the folder of ` +
          `the holiday notices' year files (YYYY.json).`,
        { cause: e },
      );
    }
    throw e;
  }
  const years: CalendarYear[] = [];
  for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
    const file = path.join(dir, name);
    const m = /^(\d{4})\.json$/.exec(name);
    if (!m) throw new Error(`Working-day calendar ${file}: name year files YYYY.json (e.g. 2027.json).`);
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      throw new Error(`Working-day calendar ${file}: not valid JSON (${(e as Error).message}).`, { cause: e });
    }
    const y = checkCalendarYear(raw, file);
    if (y.year !== Number(m[1]))
      throw new Error(`Working-day calendar ${file}: "year" is ${y.year}, the file name says ${m[1]}.`);
    years.push(y);
  }
  return years;
}

/** Options of `defaultCalendar`. */
export interface DefaultCalendarOptions {
  /**
   * The folder of year files; each overrides the package for its year.
   * @default CALENDAR_DATA_DIR (subgraphs/joint/calendar/data)
   */
  dataDir?: string;
  /**
   * Years given in memory, overriding both the package and the folder for their years.
   * @default []
   */
  extraYears?: readonly CalendarYear[];
}

/**
 * The hub's calendar: the chinese-days package's years, then the data folder's year files, then
 * `extraYears`; for a year given more than once the later source replaces the earlier one whole.
 */
export function defaultCalendar(options: DefaultCalendarOptions = {}): WorkingDayCalendar {
  const dataDir = options.dataDir ?? CALENDAR_DATA_DIR;
  const years = new Map<number, CalendarYear>();
  for (const y of [...packageCalendarYears(), ...loadCalendarDir(dataDir), ...(options.extraYears ?? [])])
    years.set(y.year, y);
  const dataDirLabel = options.dataDir === undefined ? CALENDAR_DATA_LABEL : dataDir;
  return new WorkingDayCalendar([...years.values()], { dataDirLabel });
}

/** The joint service's calendar as configured: the notices' folder of JOINTCHECK_CALENDAR_DIR, or the shipped one. */
export function hubCalendar(config: Partial<Pick<HubConfig, 'calendarDir'>>): WorkingDayCalendar {
  return defaultCalendar({ dataDir: config.calendarDir ?? undefined });
}
