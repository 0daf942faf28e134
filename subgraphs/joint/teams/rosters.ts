import type { JointDeps } from '../context';
import type { DepartmentClient } from '../department-client';
import { frozenHash, type FrozenTeamInput, type RosterPerson } from '../draw/teams';
import { TeamRosterRow } from './entities';
import type { PlanContent } from '../plans/content';
import type { JointStore } from '../store';

/** A department's inspector roster through its contract (R7, R9). */
export async function inspectorRoster(client: DepartmentClient, department: string): Promise<RosterPerson[]> {
  const rows = await client.pages<RosterPerson>(department, 'DepartmentInspectors', 'inspectors', 'nodes');
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    certificateNo: r.certificateNo,
    domains: [...r.domains].sort(),
    jurisdiction: [...r.jurisdiction].sort(),
    qualified: r.qualified,
  }));
}

/** A department's expert roster through its contract (R8). */
export async function expertRoster(client: DepartmentClient, department: string): Promise<RosterPerson[]> {
  const rows = await client.pages<{ id: string; name: string; expertise: string[] }>(
    department,
    'DepartmentExperts',
    'experts',
    'nodes',
  );
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    certificateNo: null,
    domains: [...r.expertise].sort(),
    jurisdiction: [],
    qualified: true,
  }));
}

/** What a department's team draw may use, as it is now (conflicts and entrustments read through `store`). */
export async function currentTeamInput(
  deps: JointDeps,
  store: JointStore,
  taskId: string,
  content: PlanContent,
  department: string,
): Promise<FrozenTeamInput> {
  const lead = department === content.leadDepartment;
  const [inspectors, experts, conflicts, entrustments] = await Promise.all([
    inspectorRoster(deps.departments, department),
    lead && content.expertsPerVisit > 0 ? expertRoster(deps.departments, department) : Promise.resolve([]),
    store.teams.conflictsOf(department),
    store.teams.entrustmentsOf(taskId, department),
  ]);
  return {
    inspectors,
    experts,
    conflicts: conflicts.map((c) => [c.personId, c.targetKey]),
    entrustments: entrustments.map((e) => ({ inspectorId: e.inspectorId, regions: e.regions })),
  };
}

/** Reads every participating department's team input at the snapshot (R9): stored, with its hash. */
export async function freezeTeamInputs(
  deps: JointDeps,
  taskId: string,
  content: PlanContent,
): Promise<TeamRosterRow[]> {
  return Promise.all(
    content.departments.map(async (department) => {
      const frozen = await currentTeamInput(deps, deps.store, taskId, content, department);
      return Object.assign(new TeamRosterRow(), { taskId, department, frozen, frozenHash: frozenHash(frozen) });
    }),
  );
}
