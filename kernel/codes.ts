/**
 * The code formats of the hub, defined once. Every check of an input code uses these.
 */

/** Department code: lowercase `[a-z][a-z0-9]{1,19}`; type names use its PascalCase (DESIGN.md). */
export const DEPARTMENT_CODE = /^[a-z][a-z0-9]{1,19}$/;

/** GB/T 2260 administrative region code: 6 digits. */
export const REGION_CODE = /^[1-8][0-9]{5}$/;

/**
 * A region code or its prefix (2 to 6 digits: 31 is Shanghai, 3101 its districts), as plans and roster filters name
 * regions.
 */
export const REGION_PREFIX = /^[1-8][0-9]{1,5}$/;

/**
 * Region prefixes or industry codes one plan scope or roster filter may list: prefixes and
 * sections cover the rest, and every code is a condition of the roster statement (SQLite nests
 * them, and refuses an expression deeper than 1000).
 */
export const MAX_SCOPE_CODES = 200;

/** GB/T 4754 industry code: a section letter A-T, optionally with digits (C, C13, C1311). */
export const INDUSTRY_CODE = /^[A-T][0-9]{0,4}$/;

/** Checklist item code: uppercase letters, digits and dashes, starting with a letter (`TAX-07`). */
export const ITEM_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;

/**
 * A department's own id of a target that is not a market entity (a project, a product): letters,
 * digits and dashes, 2 to 64, starting with a letter (`P-2026-0901`, `WJ000123`). A key starting
 * with a digit is read as a USCC (kernel/target-key.ts), so a cut-off code is never taken for an id.
 */
export const OWN_TARGET_ID = /^[A-Za-z][A-Za-z0-9-]{1,63}$/;
