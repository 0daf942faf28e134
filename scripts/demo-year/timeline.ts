import type { WorkingDayCalendar } from '../../subgraphs/joint/calendar/working-days';

const DAY_MS = 86_400_000;
const CHINA_OFFSET_MS = 8 * 3_600_000;

/** 'YYYY-MM-DD' plus n calendar days (n may be negative). */
export function addDays(date: string, n: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The instant of a time of day in China (UTC+8, no daylight saving) on a date: ('2026-03-04', 10, 30) is 02:30 UTC. */
export function chinaTime(date: string, hour: number, minute = 0): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS + (hour * 60 + minute) * 60_000);
}

/**
 * The year the demo shows: today's when today is on or after 1 June (a half year of work is done), else the year
 * before.
 */
export function demoYear(today: string): number {
  const year = Number(today.slice(0, 4));
  return today >= `${year}-06-01` ? year : year - 1;
}

/** One task's days: made and its snapshot taken, the witness published and the draw, then the visit days. */
export interface TaskDays {
  created: string;
  witness: string;
  visitDays: string[];
}

/**
 * When the demo year's work happens, from today (China date) on the hub's working-day calendar.
 * Nothing is dated today or later: the last day is the day before today, or 31 December of the
 * demo year. Only the demo year's calendar is read, so a next year the calendar does not cover
 * yet is no obstacle.
 */
export interface DemoTimeline {
  year: number;
  today: string;
  /** The last day anything happens on. */
  lastDay: string;
  /**
   * The three annual plans are made on consecutive working days in early January, each published two working days
   * later (R11).
   */
  plansMade: string[];
  /** A draft made in late February and never published. */
  draftMade: string;
  /** The joint plan's first task: spring. */
  spring: TaskDays;
  /** The housing department's own task. */
  housing: TaskDays;
  /** The second joint plan's task: its visits end 8 working days before today (or at the end of the year). */
  autumn: TaskDays;
}

/** Working days of one year, counted on the hub's calendar without ever reading another year. */
export class DemoDays {
  constructor(
    private readonly calendar: WorkingDayCalendar,
    /** The last day steps may be dated (within the demo year). */
    readonly lastDay: string,
  ) {}

  private within(date: string): boolean {
    return date <= this.lastDay && date.slice(0, 4) === this.lastDay.slice(0, 4);
  }

  /** The first working day on or after `date`. */
  onOrAfter(date: string): string {
    let day = date;
    while (!this.calendar.isWorkingDay(day)) day = addDays(day, 1);
    return day;
  }

  /** The n-th working day after `date` (not counting it), or null when that is after the last day. */
  after(date: string, n: number): string | null {
    let day = date;
    for (let left = n; left > 0;) {
      day = addDays(day, 1);
      if (!this.within(day)) return null;
      if (this.calendar.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** The n-th working day before `date` (not counting it). */
  before(date: string, n: number): string {
    let day = date;
    for (let left = n; left > 0;) {
      day = addDays(day, -1);
      if (this.calendar.isWorkingDay(day)) left--;
    }
    return day;
  }

  /** `count` working days, the first on or after `first`. */
  run(first: string, count: number): string[] {
    const days = [this.onOrAfter(first)];
    while (days.length < count)
      days.push(this.after(days[days.length - 1]!, 1) ?? this.fail(`${count} working days from ${first}`));
    return days;
  }

  /** `count` working days ending `gap` working days before `end`. */
  endingBefore(end: string, gap: number, count: number): string[] {
    const last = this.before(end, gap);
    return this.run(this.before(last, count - 1), count);
  }

  fail(what: string): never {
    throw new Error(`Demo year: ${what} do not fit before ${this.lastDay}.`);
  }
}

/**
 * Days of a task: made `lead` working days before the witness date, which is the working day before its first visit.
 */
function taskDays(days: DemoDays, visitDays: string[], lead = 2): TaskDays {
  const witness = days.before(visitDays[0]!, 1);
  return { created: days.before(witness, lead), witness, visitDays };
}

/** The demo year's timeline from today (see DemoTimeline). */
export function demoTimeline(
  calendar: WorkingDayCalendar,
  today: string,
  visitDays = { spring: 8, housing: 3, autumn: 5 },
): DemoTimeline {
  const year = demoYear(today);
  const yearEnd = `${year}-12-31`;
  const lastDay = today <= yearEnd ? addDays(today, -1) : yearEnd;
  const days = new DemoDays(calendar, lastDay);
  // What comes after the demo year is counted from 1 January of the next year, never read.
  const end = today <= yearEnd ? today : addDays(yearEnd, 1);
  const plansMade = days.run(`${year}-01-05`, 3);
  const springVisits = days.run(days.after(days.onOrAfter(`${year}-03-02`), 2)!, visitDays.spring + 1).slice(1);
  const timeline: DemoTimeline = {
    year,
    today,
    lastDay,
    plansMade,
    draftMade: days.onOrAfter(`${year}-02-24`),
    spring: taskDays(days, springVisits),
    housing: taskDays(days, days.endingBefore(end, 30, visitDays.housing)),
    autumn: taskDays(days, days.endingBefore(end, 8, visitDays.autumn)),
  };
  // Each task after the one before it, and nothing after the last day.
  const order = [
    timeline.plansMade[plansMade.length - 1]!,
    timeline.draftMade,
    timeline.spring.created,
    timeline.spring.visitDays.at(-1)!,
    timeline.housing.created,
    timeline.housing.visitDays.at(-1)!,
    timeline.autumn.created,
    timeline.autumn.visitDays.at(-1)!,
  ];
  if (order.some((d, i) => i > 0 && d <= order[i - 1]!) || order[order.length - 1]! > lastDay)
    days.fail(`the plans and tasks of ${year} (${order.join(', ')})`);
  return timeline;
}
