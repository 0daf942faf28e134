import { badInput } from './errors';

/**
 * Checks a required text input: present, not blank, and within the column's length, so SQLite
 * (which stores anything) and MySQL (which refuses over-long values) answer the same, with a
 * BAD_USER_INPUT naming the field instead of a database error.
 */
export function requireText(value: unknown, field: string, maxLength: number, why = '', rule?: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badInput(`${field} is required${why ? `: ${why}` : ''}${rule ? ` (${rule})` : ''}.`, { field, ...(rule ? { rule } : {}) });
  }
  const text = value.trim();
  if ([...text].length > maxLength) throw badInput(`${field} is ${[...text].length} characters long; at most ${maxLength} fit.`, { field });
  return text;
}

/**
 * Checks a page size (`first`): a whole number from 1 to `max`, else BAD_USER_INPUT naming the
 * field and saying that `max` is the largest page (the field's description states it too).
 */
export function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) throw badInput(`first must be between 1 and ${max}, got ${first}: ${max} is the largest page this field returns.`, { field: 'first' });
  return first;
}

/** Checks a list of codes against a format; names the first that does not fit. */
export function requireCodes(values: readonly string[], field: string, format: RegExp, what: string): string[] {
  values.forEach((value, i) => {
    if (!format.test(value)) throw badInput(`${field}[${i}]: '${value}' is not ${what}.`, { field: `${field}.${i}` });
  });
  return [...new Set(values)];
}

/**
 * Whether a value is a day of the calendar written YYYY-MM-DD. `Date.parse` alone is not enough:
 * it takes 2026-02-30 and rolls it over into March.
 */
export function isCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const day = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().slice(0, 10) === value;
}
