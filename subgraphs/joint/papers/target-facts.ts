import type { JointDeps } from '../context';
import type { DrawnTargetRow } from '../tasks/entities';
import type { FormTarget } from './pdf';

/**
 * What the hub's papers print of a visit's target (issue J): for a market entity, its registered
 * name, address and legal representative, read from the market department's register (public
 * registration data) through its subgraph. A paper is never printed with a guessed name: when the
 * register cannot be read the error says so (DOWNSTREAM_SERVICE_ERROR, try again), and nothing is
 * made. A target that is no market entity (a project, a product: no USCC) is printed by its kind
 * and the department's id of it.
 */
export async function targetOnPapers(deps: JointDeps, visit: DrawnTargetRow): Promise<FormTarget> {
  if (!visit.uscc)
    return {
      key: visit.targetKey,
      uscc: null,
      name: `${visit.kind} ${visit.targetKey}`,
      address: null,
      legalRepresentative: null,
    };
  const data = await deps.departments.run<{
    marketEntity: { name: string; registeredAddress: string | null; legalRepresentative: string | null } | null;
  }>('market', 'MarketEntityOnPapers', { uscc: visit.uscc });
  const entity = data.marketEntity;
  return {
    key: visit.targetKey,
    uscc: visit.uscc,
    name: entity?.name ?? `（登记机关未找到 ${visit.uscc}）`,
    address: entity?.registeredAddress ?? null,
    legalRepresentative: entity?.legalRepresentative ?? null,
  };
}
