/**
 * The code formats of the hub, defined once. Every check of an input code uses these.
 */

/** Department code: lowercase `[a-z][a-z0-9]{1,19}`; type names use its PascalCase (DESIGN.md). */
export const DEPARTMENT_CODE = /^[a-z][a-z0-9]{1,19}$/;

/** GB/T 2260 administrative region code: 6 digits. */
export const REGION_CODE = /^[1-8][0-9]{5}$/;

/** GB/T 4754 industry code: a section letter A-T, optionally with digits (C, C13, C1311). */
export const INDUSTRY_CODE = /^[A-T][0-9]{0,4}$/;

/** Checklist item code: uppercase letters, digits and dashes, starting with a letter (`TAX-07`). */
export const ITEM_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;

/** A department's own id of a target that is not a market entity (a project, a product). */
export const OWN_TARGET_ID = /^[A-Za-z0-9][A-Za-z0-9-]{1,63}$/;
