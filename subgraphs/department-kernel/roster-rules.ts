import { INDUSTRY_CODE, REGION_CODE } from '../../kernel/codes';
import { TargetKind } from './contract/enums';
import type { RosterTargetInput } from './contract/inputs';
import { badInput } from '../../kernel/errors';
import { assertUscc } from '../../kernel/uscc';
import { isTargetKey } from '../../kernel/target-key';
import { requireText } from '../../kernel/validation';
import { RosterTargetRow } from './entities';

const MARKET_ENTITY_KINDS: readonly string[] = [
  TargetKind.ENTERPRISE,
  TargetKind.INDIVIDUAL_BUSINESS,
  TargetKind.COOPERATIVE,
];

/**
 * Checks roster rows before any is written (R6). Market entities are keyed by their USCC;
 * projects, products and behaviours by an id of their own plus the responsible entity's USCC.
 */
export function toRosterRows(inputs: RosterTargetInput[], now: Date): RosterTargetRow[] {
  const seen = new Set<string>();
  return inputs.map((input, i) => {
    const field = `targets[${i}]`;
    const uscc = input.uscc ? assertUscc(input.uscc, `${field}.uscc`) : null;
    let id: string;
    if (MARKET_ENTITY_KINDS.includes(input.kind)) {
      // R6: market entities are keyed by their USCC.
      if (!uscc)
        throw badInput(`${field}.uscc is required for a ${input.kind}: market entities are keyed by their USCC (R6).`, {
          field: `${field}.uscc`,
          rule: 'R6',
        });
      if (input.id && input.id !== uscc)
        throw badInput(`${field}.id must be empty or equal to the USCC for a ${input.kind}.`, { field: `${field}.id` });
      id = uscc;
    } else {
      // R6: other targets have ids of their own (or their USCC), in the one target key format.
      if (!input.id || !isTargetKey(input.id)) {
        throw badInput(
          `${field}.id: a ${input.kind} needs an id of its own (letters, digits, dashes; 2 to 64, starting ` +
            `with a letter; or its USCC) (R6).`,
          { field: `${field}.id`, rule: 'R6' },
        );
      }
      id = input.id;
    }
    if (seen.has(id)) throw badInput(`${field}: id ${id} appears twice in this import.`, { field: `${field}.id` });
    seen.add(id);
    const name = requireText(input.name, `${field}.name`, 200);
    if (!REGION_CODE.test(input.regionCode))
      throw badInput(`${field}.regionCode '${input.regionCode}' is not a 6-digit GB/T 2260 region code.`, {
        field: `${field}.regionCode`,
      });
    if (!INDUSTRY_CODE.test(input.industryCode))
      throw badInput(
        `${field}.industryCode '${input.industryCode}' is not a GB/T 4754 code (section letter and digits, e.g. C13).`,
        { field: `${field}.industryCode` },
      );
    for (const key of ['penaltiesLast3Years', 'verifiedComplaints'] as const) {
      if (!Number.isInteger(input[key]) || input[key] < 0)
        throw badInput(`${field}.${key} must be a whole number, 0 or more.`, { field: `${field}.${key}` });
    }
    return Object.assign(new RosterTargetRow(), {
      id,
      kind: input.kind,
      uscc,
      name,
      regionCode: input.regionCode,
      industryCode: input.industryCode,
      creditLevel: input.creditLevel,
      riskLevel: input.riskLevel,
      penaltiesLast3Years: input.penaltiesLast3Years,
      verifiedComplaints: input.verifiedComplaints,
      updatedAt: now,
    });
  });
}
