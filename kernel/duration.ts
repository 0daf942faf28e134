/** Seconds of each unit a duration may be written in (`15m`, `8 h`, `30d`, `2 weeks`). */
const UNIT_SECONDS: ReadonlyArray<[RegExp, number]> = [
  [/^(s|sec|secs|second|seconds)$/, 1],
  [/^(m|min|mins|minute|minutes)$/, 60],
  [/^(h|hr|hrs|hour|hours)$/, 3600],
  [/^(d|day|days)$/, 86_400],
  [/^(w|week|weeks)$/, 7 * 86_400],
];

/**
 * A duration such as `15m`, `8h`, `30 d` or `-1h` (a past expiry, for tests) in whole seconds;
 * null when it is not one. A plain number is seconds. Token lifetimes (`npm run token --expires`,
 * JOINTCHECK_JWT_MAX_LIFETIME) are written this way (README "Tokens").
 */
export function parseDuration(text: string): number | null {
  const match = /^\s*(-?)(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return null;
  const unit = match[3]!.toLowerCase();
  const seconds = unit === '' ? 1 : UNIT_SECONDS.find(([pattern]) => pattern.test(unit))?.[1];
  if (seconds === undefined) return null;
  return Math.round((match[1] ? -1 : 1) * Number(match[2]) * seconds);
}

/**
 * A duration in seconds as a person reads it, in days from two days up, else hours, minutes or seconds: `24 h`, `30
 * d`, `15 min`, `3650 d`.
 */
export function formatDuration(seconds: number): string {
  const [unit, size] =
    seconds >= 2 * 86_400 ? ['d', 86_400] : seconds >= 3600 ? ['h', 3600] : seconds >= 60 ? ['min', 60] : ['s', 1];
  return `${Math.round((seconds / (size as number)) * 10) / 10} ${unit}`;
}
