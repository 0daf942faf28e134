import { OWN_TARGET_ID } from './codes';
import { badInput } from './errors';
import { isValidUscc, usccProblem } from './uscc';

/**
 * A target's key, as rosters, draws, visits and results name it (R6): a market entity's USCC, or
 * a department's own id of a project, product or other target (`OWN_TARGET_ID`: starting with a
 * letter). A key starting with a digit is read as a USCC and must be a valid one, so a code cut
 * short or mistyped (`9144030019220382`) is refused instead of taken as an id nothing has.
 */
export function targetKeyProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value === '') return 'is empty';
  if (isValidUscc(value)) return null;
  if (/^[0-9]/.test(value))
    return `starts with a digit, so it is read as a unified social credit code, and that ${usccProblem(value)}`;
  if (!OWN_TARGET_ID.test(value))
    return "is neither a USCC nor a department's own id (letters, digits and dashes, 2 to 64, starting with a letter)";
  return null;
}

export function isTargetKey(value: unknown): value is string {
  return targetKeyProblem(value) === null;
}

/**
 * Checks a target key wherever one enters (every mutation and filter taking one uses this), with a
 * BAD_USER_INPUT naming the field and, where given, the rule the key serves.
 */
export function assertTargetKey(value: unknown, field: string, rule?: string): string {
  const problem = targetKeyProblem(value);
  if (problem) {
    const shown = typeof value === 'string' ? value.slice(0, 80) : String(value);
    throw badInput(
      `${field} '${shown}' is not a target key: a USCC, or a department's own id of a project or product; it ` +
        `${problem}.`,
      { field, ...(rule ? { rule } : {}) },
    );
  }
  return value as string;
}
