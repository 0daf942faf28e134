import { chinaDate, type WorkingDayCalendar } from './working-days';

/** The longest working-day deadline the hub counts (R25: results published within 20 working days). */
const LONGEST_DEADLINE_WORKING_DAYS = 20;

/** Which years the work of today needs a holiday notice for, and which of them have none loaded. */
export interface CalendarStatus {
  /** Years whose notice is loaded, ascending. */
  loadedYears: number[];
  /**
   * Of this year and the year today's longest deadline reaches, those without a notice: counts there are provisional.
   */
  provisionalYears: number[];
  /** What that means and what the operator does, or '' when nothing is provisional. */
  note: string;
}

/**
 * The calendar as the hub's health reports it and the joint service logs it at start: the years
 * whose working days today's deadlines (R11, R25) are counted in, and whether each one's notice
 * is loaded. A year is not asked for before a deadline can reach it: in December a result checked
 * today has its deadline in January, and from then on next year's notice is missed.
 */
export function calendarStatus(calendar: WorkingDayCalendar, now: Date): CalendarStatus {
  const today = chinaDate(now);
  const reach = calendar.addWorkingDays(today, LONGEST_DEADLINE_WORKING_DAYS);
  const provisionalYears = calendar.yearsWithoutNotice(today, reach);
  return { loadedYears: calendar.coveredYears(), provisionalYears, note: calendar.provisionalNote(provisionalYears) };
}
