import type { ChecklistItemInput } from '../contract/inputs';
import { ItemCategory } from '../contract/enums';
import { badInput } from '../errors';

/** Item codes: uppercase letters, digits and dashes (`TAX-07`). */
export const ITEM_CODE = /^[A-Z][A-Z0-9-]{1,31}$/;
const INDUSTRY = /^[A-T][0-9]{0,4}$/;

/**
 * Checks a checklist item before anything is written. R1: every item records legal basis,
 * inspecting body, target kinds, content, method, ratio and frequency. R2: a KEY item has no
 * ratio cap, a GENERAL item has one, above 0 and below 100%.
 * Returns the ratio cap in basis points.
 */
export function validateChecklistItem(input: ChecklistItemInput, field = 'input'): number | null {
  const required: Array<keyof ChecklistItemInput> = ['title', 'content', 'basis', 'inspectingBody', 'frequency', 'domain'];
  for (const key of required) {
    const value = input[key];
    if (typeof value !== 'string' || value.trim() === '') {
      // R1
      throw badInput(`${field}.${key} is required: every checklist item records its ${key} (R1).`, { field: `${field}.${key}`, rule: 'R1' });
    }
  }
  if (input.targetKinds.length === 0) {
    throw badInput(`${field}.targetKinds: name at least one kind of target the item applies to (R1).`, { field: `${field}.targetKinds`, rule: 'R1' });
  }
  for (const [i, code] of (input.industries ?? []).entries()) {
    if (!INDUSTRY.test(code)) {
      throw badInput(`${field}.industries[${i}]: '${code}' is not a GB/T 4754 industry code (a section letter A-T, optionally with digits).`, {
        field: `${field}.industries.${i}`,
      });
    }
  }
  const cap = input.ratioCapPercent ?? null;
  if (input.category === ItemCategory.KEY) {
    // R2: KEY items are not capped.
    if (cap !== null) {
      throw badInput(`${field}.ratioCapPercent must be empty for a KEY item: KEY items have no ratio cap (R2).`, { field: `${field}.ratioCapPercent`, rule: 'R2' });
    }
    return null;
  }
  // R2: a GENERAL item is capped below 100%.
  if (cap === null) {
    throw badInput(`${field}.ratioCapPercent is required for a GENERAL item (R2).`, { field: `${field}.ratioCapPercent`, rule: 'R2' });
  }
  if (!(cap > 0 && cap < 100)) {
    throw badInput(`${field}.ratioCapPercent is ${cap}%: a GENERAL item's ratio cap must be above 0 and below 100% (R2); make it a KEY item if every target must be checked.`, {
      field: `${field}.ratioCapPercent`,
      rule: 'R2',
    });
  }
  const basisPoints = Math.round(cap * 100);
  if (Math.abs(basisPoints - cap * 100) > 1e-6) {
    throw badInput(`${field}.ratioCapPercent: at most two decimals (0.01%).`, { field: `${field}.ratioCapPercent` });
  }
  return basisPoints;
}
