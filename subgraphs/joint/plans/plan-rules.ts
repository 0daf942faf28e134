import { DEPARTMENT_CODE, INDUSTRY_CODE, MAX_SCOPE_CODES, REGION_PREFIX } from '../../../kernel/codes';
import { badInput } from '../../../kernel/errors';
import { isCalendarDay, requireCodes, requireText } from '../../../kernel/validation';
import type { StratumRatios } from '../draw/strata';
import type { PlanContent, PlanItem } from './content';
import type { PlanInput } from './types';

/** A checklist item version as the department contract gives it. */
export interface ContractItem {
  code: string;
  version: number;
  title: string;
  basis: string;
  status: string;
  category: 'KEY' | 'GENERAL';
  ratioCapPercent: number | null;
  domain: string;
  targetKinds: string[];
  industries: string[];
  method: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function percent(value: number, field: string): number {
  if (!(value >= 0 && value <= 100)) throw badInput(`${field} is ${value}%: a ratio is between 0 and 100%.`, { field });
  const bp = Math.round(value * 100);
  if (Math.abs(bp - value * 100) > 1e-6) throw badInput(`${field}: at most two decimals (0.01%).`, { field });
  return bp;
}

/**
 * Checks a plan and makes its content (R10). `checklists` holds, per participating department,
 * every version of its checklist items as its contract gives them.
 * - R3: every item is on its department's checklist, at a version in force, and each participating
 *   department has an item in the plan.
 * - R13: ratios fall from the high stratum to the low one.
 * - R2: no stratum's ratio goes over the cap of a GENERAL item in the plan.
 */
export function buildPlanContent(
  input: PlanInput,
  lead: string,
  knownDepartments: readonly string[],
  checklists: ReadonlyMap<string, ContractItem[]>,
): PlanContent {
  const name = requireText(input.name, 'input.name', 200, 'a plan has a name', 'R10');
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100)
    throw badInput(`input.year ${input.year} is not a plan year.`, { field: 'input.year' });
  const departments = [...new Set([lead, ...input.partners])].sort();
  input.partners.forEach((code, i) => {
    if (!DEPARTMENT_CODE.test(code) || !knownDepartments.includes(code)) {
      throw badInput(
        `input.partners[${i}]: '${code}' is not a department of the hub (known: ${knownDepartments.join(', ')}).`,
        { field: `input.partners.${i}`, rule: 'R10' },
      );
    }
  });

  for (const [key, value] of [
    ['windowStart', input.windowStart],
    ['windowEnd', input.windowEnd],
  ] as const) {
    const m = DAY.exec(value);
    // R10: a time window of real days (2026-02-30 is none) in the plan year.
    if (!m || Number(m[1]) !== input.year || !isCalendarDay(value)) {
      throw badInput(`input.${key} '${value}' must be a date (YYYY-MM-DD) in ${input.year}.`, {
        field: `input.${key}`,
        rule: 'R10',
      });
    }
  }
  if (input.windowStart > input.windowEnd)
    throw badInput('input.windowEnd is before input.windowStart.', { field: 'input.windowEnd', rule: 'R10' });
  if (input.methods.length === 0)
    throw badInput('input.methods: name at least one inspection method (R10, R23).', {
      field: 'input.methods',
      rule: 'R10',
    });

  if (input.scope.targetKinds.length === 0)
    throw badInput('input.scope.targetKinds: name at least one kind of target (R10).', {
      field: 'input.scope.targetKinds',
      rule: 'R10',
    });
  // R10: the scope in codes a roster can be filtered by; prefixes and sections keep it short.
  for (const [key, list] of [
    ['regions', input.scope.regions],
    ['industries', input.scope.industries],
  ] as const) {
    if (list.length > MAX_SCOPE_CODES)
      throw badInput(
        `input.scope.${key}: at most ${MAX_SCOPE_CODES} codes, got ${list.length}; name prefixes (3101) or ` +
          `sections (C) instead.`,
        { field: `input.scope.${key}`, rule: 'R10' },
      );
  }
  const regions = requireCodes(
    input.scope.regions,
    'input.scope.regions',
    REGION_PREFIX,
    'a region code or prefix (2 to 6 digits)',
  );
  const industries = requireCodes(
    input.scope.industries,
    'input.scope.industries',
    INDUSTRY_CODE,
    'a GB/T 4754 code or section letter',
  );

  if (input.items.length === 0)
    throw badInput('input.items: a plan checks at least one checklist item (R3, R10).', {
      field: 'input.items',
      rule: 'R10',
    });
  const seen = new Set<string>();
  const items: PlanItem[] = input.items.map((ref, i) => {
    const field = `input.items[${i}]`;
    if (!departments.includes(ref.department)) {
      throw badInput(`${field}: department '${ref.department}' does not take part in the plan; add it to partners.`, {
        field: `${field}.department`,
        rule: 'R3',
      });
    }
    const key = `${ref.department}/${ref.code}`;
    if (seen.has(key)) throw badInput(`${field}: ${key} is listed twice.`, { field });
    seen.add(key);
    // R3: only items on the departments' checklists, at a version in force.
    const version = checklists
      .get(ref.department)
      ?.find((item) => item.code === ref.code && item.version === ref.version);
    if (!version) {
      throw badInput(
        `${field}: ${ref.department} has no checklist item ${ref.code} version ${ref.version}; a plan may ` +
          `only contain items on the departments' checklists (R3).`,
        {
          field,
          rule: 'R3',
        },
      );
    }
    if (version.status !== 'CURRENT') {
      throw badInput(
        `${field}: ${ref.department} ${ref.code} version ${ref.version} is ${version.status.toLowerCase()}; ` +
          `use the version in force (R3, R5).`,
        { field, rule: 'R3' },
      );
    }
    if (!version.targetKinds.some((k) => (input.scope.targetKinds as readonly string[]).includes(k))) {
      throw badInput(
        `${field}: ${ref.code} applies to ${version.targetKinds.join(', ')}, none of which the plan's scope ` +
          `draws (R3).`,
        { field, rule: 'R3' },
      );
    }
    return {
      department: ref.department,
      code: version.code,
      version: version.version,
      title: version.title,
      basis: version.basis,
      category: version.category,
      ratioCapBasisPoints: version.ratioCapPercent === null ? null : Math.round(version.ratioCapPercent * 100),
      domain: version.domain,
      targetKinds: version.targetKinds,
      industries: version.industries,
      method: version.method,
    };
  });
  for (const department of departments) {
    if (!items.some((item) => item.department === department)) {
      throw badInput(
        `input.items: ${department} takes part but has no item in the plan; a department checks only items of ` +
          `its checklist (R3).`,
        { field: 'input.items', rule: 'R3' },
      );
    }
  }

  const r = input.ratios ?? { high: 30, elevated: 10, general: 2, low: 1 };
  const ratios: StratumRatios = {
    HIGH: percent(r.high, 'input.ratios.high'),
    ELEVATED: percent(r.elevated, 'input.ratios.elevated'),
    GENERAL: percent(r.general, 'input.ratios.general'),
    LOW: percent(r.low, 'input.ratios.low'),
  };
  // R13: worse credit and higher risk are drawn at least as often.
  if (!(ratios.HIGH >= ratios.ELEVATED && ratios.ELEVATED >= ratios.GENERAL && ratios.GENERAL >= ratios.LOW)) {
    throw badInput('input.ratios must not rise from high to low risk: high ≥ elevated ≥ general ≥ low (R13).', {
      field: 'input.ratios',
      rule: 'R13',
    });
  }
  // R2: a GENERAL item's ratio cap caps every stratum's ratio.
  items.forEach((item, i) => {
    if (item.category === 'GENERAL' && item.ratioCapBasisPoints !== null && ratios.HIGH > item.ratioCapBasisPoints) {
      throw badInput(
        `input.ratios.high ${ratios.HIGH / 100}% exceeds the ${item.ratioCapBasisPoints / 100}% cap of ` +
          `GENERAL item ${item.department} ${item.code} (R2): lower the ratios, or plan that item separately.`,
        { field: `input.items[${i}]`, rule: 'R2' },
      );
    }
  });

  const whole = (value: number, field: string, min: number, max: number) => {
    if (!Number.isInteger(value) || value < min || value > max)
      throw badInput(`${field} must be a whole number from ${min} to ${max}, got ${value}.`, { field });
    return value;
  };
  return {
    name,
    year: input.year,
    leadDepartment: lead,
    departments,
    items,
    scope: { targetKinds: [...new Set(input.scope.targetKinds)], regions, industries },
    methods: [...new Set(input.methods)],
    window: { start: input.windowStart, end: input.windowEnd },
    ratios,
    classCombination: input.classCombination,
    excludeInspectedWithinDays: whole(input.excludeInspectedWithinDays, 'input.excludeInspectedWithinDays', 0, 3660),
    batchSize: whole(input.batchSize, 'input.batchSize', 1, 10_000),
    inspectorsPerDepartment: whole(input.inspectorsPerDepartment, 'input.inspectorsPerDepartment', 1, 10),
    expertsPerVisit: whole(input.expertsPerVisit, 'input.expertsPerVisit', 0, 5),
  };
}
