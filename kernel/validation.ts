import { badInput } from './errors';

/**
 * C0 control characters other than tab, line feed and carriage return, and DEL: a NUL cuts the
 * text short in C-based readers (and MySQL's utf8mb4 takes it while reports and exports do not);
 * the others are invisible in every view of the record, so a text holding them is not what a
 * reader sees. Free text of people (names, units, reasons, notes) never needs them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Refuses a text holding a control character (see CONTROL_CHARACTER), naming the field and where. */
export function refuseControlCharacters(text: string, field: string): string {
  const match = CONTROL_CHARACTER.exec(text);
  if (match) {
    const code = `U+${match[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    throw badInput(
      `${field} holds the control character ${code} at character ` +
        `${[...text.slice(0, match.index)].length + 1}; text may hold tabs and line breaks but no other control ` +
        `characters: remove it.`,
      { field },
    );
  }
  return text;
}

/**
 * Checks a required text input: present, not blank, free of control characters (tab and line
 * breaks aside), and within the column's length, so SQLite (which stores anything) and MySQL
 * (which refuses over-long values) answer the same, with a BAD_USER_INPUT naming the field
 * instead of a database error. Every free text the API takes goes through it.
 */
export function requireText(value: unknown, field: string, maxLength: number, why = '', rule?: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw badInput(`${field} is required${why ? `: ${why}` : ''}${rule ? ` (${rule})` : ''}.`, {
      field,
      ...(rule ? { rule } : {}),
    });
  }
  const text = refuseControlCharacters(value.trim(), field);
  if ([...text].length > maxLength)
    throw badInput(`${field} is ${[...text].length} characters long; at most ${maxLength} fit.`, { field });
  return text;
}

/**
 * Checks a page size (`first`): a whole number from 1 to `max`, else BAD_USER_INPUT naming the
 * field and saying that `max` is the largest page (the field's description states it too).
 */
export function pageSize(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max)
    throw badInput(`first must be between 1 and ${max}, got ${first}: ${max} is the largest page this field returns.`, {
      field: 'first',
    });
  return first;
}

/**
 * Checks an offset into a list (the deprecated offset-paged fields): a whole number, 0 or more,
 * else BAD_USER_INPUT naming the field (a negative offset would silently mean the start).
 */
export function pageOffset(offset: number, field = 'offset'): number {
  if (!Number.isInteger(offset) || offset < 0)
    throw badInput(`${field} must be a whole number, 0 or more (how many to skip), got ${offset}.`, { field });
  return offset;
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
