import { badInput } from './errors';

/**
 * The unified social credit code (统一社会信用代码), GB 32100-2015.
 *
 * 18 characters from the 31-character set below (no I, O, S, V, Z):
 * 1 registration authority, 2 organisation category, 3-8 administrative region (GB/T 2260,
 * digits), 9-17 the subject identifier (GB 11714 organisation code), 18 the check character.
 * The check character is `31 - (Σ value(c_i) × 3^i mod 31) mod 31`, i = 0..16, mapped back through
 * the character set (a result of 31 is 0).
 */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const WEIGHTS = Array.from({ length: 17 }, (_, i) => 3 ** i % 31);

/** The check character for the first 17 characters of a code. */
export function usccCheckCharacter(first17: string): string {
  if (first17.length !== 17) throw new Error('usccCheckCharacter needs 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = USCC_CHARSET.indexOf(first17[i]!);
    if (value < 0) throw new Error(`'${first17[i]}' is not a USCC character`);
    sum += value * WEIGHTS[i]!;
  }
  return USCC_CHARSET[(31 - (sum % 31)) % 31]!;
}

/** Why a string is not a valid USCC, or null when it is one. */
export function usccProblem(value: string): string | null {
  if (value.length !== 18) return `must be 18 characters, got ${value.length}`;
  for (let i = 0; i < 18; i++) {
    if (!USCC_CHARSET.includes(value[i]!)) {
      return `character ${i + 1} ('${value[i]}') is not allowed (digits and uppercase letters except I, O, S, V, Z)`;
    }
  }
  if (!/^[0-9]{6}$/.test(value.slice(2, 8))) return 'characters 3-8 must be the 6-digit region code';
  const expected = usccCheckCharacter(value.slice(0, 17));
  if (value[17] !== expected) return `check character is '${value[17]}', the code computes '${expected}'`;
  return null;
}

export function isValidUscc(value: string): boolean {
  return usccProblem(value) === null;
}

/**
 * Checks a USCC wherever one enters the hub. Lower-case input is upper-cased first (people type
 * codes); anything else that is wrong is a BAD_USER_INPUT naming the field.
 */
export function assertUscc(value: string, field: string): string {
  const normalised = value.trim().toUpperCase();
  const problem = usccProblem(normalised);
  if (problem) {
    throw badInput(`${field}: '${value}' is not a valid unified social credit code (GB 32100-2015): ${problem}.`, {
      field,
    });
  }
  return normalised;
}

/** GB 11714 organisation-code check character for 8 code characters (weights 3,7,9,10,5,8,4,2). */
export function organisationCodeCheck(first8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = first8[i]!;
    const v = /[0-9]/.test(c) ? Number(c) : c.charCodeAt(0) - 55; // A = 10
    sum += v * weights[i]!;
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}
