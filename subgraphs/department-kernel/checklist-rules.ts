import { INDUSTRY_CODE } from '../../kernel/codes';
import { ItemCategory, type InspectionMethod, type TargetKind } from './contract/enums';
import { CHECKLIST_TEXT_CAPS, type ChecklistItemInput } from './contract/inputs';
import { badInput } from '../../kernel/errors';
import { requireCodes, requireText } from '../../kernel/validation';

/** A checklist item's content, checked and normalised, as stored. */
export interface ChecklistItemContent {
  title: string;
  content: string;
  basis: string;
  inspectingBody: string;
  targetKinds: TargetKind[];
  method: InspectionMethod;
  category: ItemCategory;
  /** Ratio cap in basis points (500 = 5%); null for KEY items. */
  ratioCapBasisPoints: number | null;
  frequency: string;
  domain: string;
  industries: string[];
}

/** Industry codes one item may list. */
export const MAX_ITEM_INDUSTRIES = 1000;

/** Percent (5.25) to whole basis points (525); null stays null. */
export function percentToBasisPoints(percent: number | null): number | null {
  return percent === null ? null : Math.round(percent * 100);
}

/**
 * Checks a checklist item before anything is written. R1: every item records legal basis,
 * inspecting body, target kinds, content, method, ratio and frequency. R2: a KEY item has no
 * ratio cap, a GENERAL item has one, above 0 and below 100%.
 */
export function validateChecklistItem(input: ChecklistItemInput, field = 'input'): ChecklistItemContent {
  // R1: each of these is recorded for every item, within what provinces publish (CHECKLIST_TEXT_CAPS).
  const text = (key: keyof typeof CHECKLIST_TEXT_CAPS) =>
    requireText(
      input[key],
      `${field}.${key}`,
      CHECKLIST_TEXT_CAPS[key],
      `every checklist item records its ${key}`,
      'R1',
    );
  const content = {
    title: text('title'),
    content: text('content'),
    basis: text('basis'),
    inspectingBody: text('inspectingBody'),
    frequency: text('frequency'),
    domain: text('domain'),
  };
  if (input.targetKinds.length === 0) {
    // R1
    throw badInput(`${field}.targetKinds: name at least one kind of target the item applies to (R1).`, {
      field: `${field}.targetKinds`,
      rule: 'R1',
    });
  }
  // R1: the target kinds and industries an item applies to; sections and divisions keep the list short (and in its
  // column).
  if ((input.industries ?? []).length > MAX_ITEM_INDUSTRIES) {
    throw badInput(
      `${field}.industries: at most ${MAX_ITEM_INDUSTRIES} codes, got ${input.industries!.length}; name ` +
        `sections (C) or divisions (C13) instead of every class.`,
      { field: `${field}.industries`, rule: 'R1' },
    );
  }
  const industries = requireCodes(
    input.industries ?? [],
    `${field}.industries`,
    INDUSTRY_CODE,
    'a GB/T 4754 industry code (a section letter A-T, optionally with digits)',
  );
  const cap = input.ratioCapPercent ?? null;
  if (input.category === ItemCategory.KEY) {
    // R2: KEY items are not capped.
    if (cap !== null) {
      throw badInput(`${field}.ratioCapPercent must be empty for a KEY item: KEY items have no ratio cap (R2).`, {
        field: `${field}.ratioCapPercent`,
        rule: 'R2',
      });
    }
  } else {
    // R2: a GENERAL item is capped below 100%.
    if (cap === null)
      throw badInput(`${field}.ratioCapPercent is required for a GENERAL item (R2).`, {
        field: `${field}.ratioCapPercent`,
        rule: 'R2',
      });
    if (!(cap > 0 && cap < 100)) {
      throw badInput(
        `${field}.ratioCapPercent is ${cap}%: a GENERAL item's ratio cap must be above 0 and below 100% (R2); ` +
          `make it a KEY item if every target must be checked.`,
        {
          field: `${field}.ratioCapPercent`,
          rule: 'R2',
        },
      );
    }
    if (Math.abs(Math.round(cap * 100) - cap * 100) > 1e-6)
      throw badInput(`${field}.ratioCapPercent: at most two decimals (0.01%).`, { field: `${field}.ratioCapPercent` });
  }
  return {
    ...content,
    targetKinds: [...new Set(input.targetKinds)],
    method: input.method,
    category: input.category,
    ratioCapBasisPoints: percentToBasisPoints(cap),
    industries,
  };
}
