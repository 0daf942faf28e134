import { itemAppliesTo } from '../../department-kernel/mapping';
import type { PlanContent, PlanItem } from '../plans/content';

/**
 * The combined checklist of a visit (R22, enter once, check many): every item of every
 * participating department in the plan that applies to the target, by its kind and industry
 * (the same rule a department uses for its own view's applicable items).
 */
export function visitItems(content: PlanContent, target: { kind: string; industryCode: string }): PlanItem[] {
  return content.items.filter((item) => itemAppliesTo(item, target));
}
