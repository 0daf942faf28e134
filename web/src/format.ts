/** Dates as people in China read them: China time (UTC+8, no daylight saving), YYYY-MM-DD. */
const CHINA_OFFSET_MS = 8 * 3600_000;

export function chinaDate(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A calendar day (YYYY-MM-DD) moved by whole days, across months and years. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export function chinaDateTime(value: string | Date | null | undefined): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return new Date(date.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** This year in China. */
export function chinaYear(now = new Date()): number {
  return Number(chinaDate(now).slice(0, 4));
}

export function percent(ratio: number): string {
  return `${(ratio * 100).toFixed(1)}%`;
}

/** A USCC as typed: spaces removed, upper case (the hub checks it). */
export function normaliseUscc(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** Whether a search text is a USCC rather than a name: 18 letters or digits. */
export function looksLikeUscc(text: string): boolean {
  return /^[0-9A-Z]{18}$/.test(normaliseUscc(text));
}
