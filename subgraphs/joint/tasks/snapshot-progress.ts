import { Field, Int, ObjectType } from 'type-graphql';

/**
 * How far a snapshot being taken has got (issue I: long work shows progress): the rows read so far
 * from each participating department's roster, page by page. Kept in the memory of the joint
 * service taking the snapshot, for as long as it runs (a snapshot of a million targets takes
 * seconds): a coordinator's page asks for it while its `jointTakeSnapshot` is under way, and for a
 * minute after it is taken (then with `finishedAt`), so a page that asks just as it ends still sees
 * the final counts. A snapshot that fails is forgotten at once (its error is the answer). Behind
 * several joint services (issue L) the one taking the snapshot knows; another answers null, and the
 * page then shows that the work is under way without the counts.
 */
@ObjectType('SnapshotDepartmentProgress', { description: "One department's roster as read so far for a snapshot." })
export class SnapshotDepartmentProgress {
  @Field()
  department!: string;

  @Field(() => Int, { description: 'Rows of its roster read so far (within the plan scope).' })
  rowsRead!: number;

  @Field({ description: 'Its roster has been read to the end.' })
  done!: boolean;
}

@ObjectType('SnapshotProgress', {
  description: 'A snapshot being taken (R9): when it started and how much of each roster is read.',
})
export class SnapshotProgress {
  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true, description: 'Set once the snapshot is taken (kept a minute after).' })
  finishedAt!: Date | null;

  @Field(() => [SnapshotDepartmentProgress], { description: 'The lead department first, then the others.' })
  departments!: SnapshotDepartmentProgress[];
}

/** How long a taken snapshot's final counts stay readable. */
export const FINISHED_KEPT_MS = 60_000;

const running = new Map<string, SnapshotProgress>();

/**
 * The snapshots under way in this process. `begin` gives the caller its own entry: two requests
 * for one task (two tabs) each report into their own, the later shown; one that ends (the loser of
 * the status check fails) removes only its own.
 */
export const snapshotsUnderWay = {
  begin(taskId: string, departments: readonly string[], now: Date): SnapshotProgress {
    const state: SnapshotProgress = {
      startedAt: now,
      finishedAt: null,
      departments: departments.map((department) => ({ department, rowsRead: 0, done: false })),
    };
    running.set(taskId, state);
    return state;
  },
  read(state: SnapshotProgress, department: string, rowsRead: number, done: boolean): void {
    const entry = state.departments.find((d) => d.department === department);
    if (entry) Object.assign(entry, { rowsRead, done });
  },
  /** The snapshot is taken (`finishedAt`: its counts stay readable a minute), or failed (`null`: forgotten now). */
  end(taskId: string, state: SnapshotProgress, finishedAt: Date | null): void {
    if (running.get(taskId) !== state) return;
    if (finishedAt === null) {
      running.delete(taskId);
      return;
    }
    state.finishedAt = finishedAt;
    setTimeout(() => running.get(taskId) === state && running.delete(taskId), FINISHED_KEPT_MS).unref();
  },
  of(taskId: string): SnapshotProgress | null {
    const state = running.get(taskId);
    return state
      ? {
          startedAt: state.startedAt,
          finishedAt: state.finishedAt,
          departments: state.departments.map((d) => ({ ...d })),
        }
      : null;
  },
};
