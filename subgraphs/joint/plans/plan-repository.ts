import { type EntityManager, In, IsNull, Not } from 'typeorm';
import { insertRows, updateRows } from '../../../kernel/rows';
import { PlanRevisionRow, PlanRow } from './entities';

/** Plans and their revisions (R10, R11): the only code that reads or writes their tables. */
export class PlanRepository {
  constructor(readonly manager: EntityManager) {}

  /** A plan by id, or null. */
  async find(planId: string): Promise<PlanRow | null> {
    return this.manager.findOneBy(PlanRow, { id: planId });
  }

  /** Plans by id, in no particular order (one statement). */
  async findMany(planIds: readonly string[]): Promise<PlanRow[]> {
    return this.manager.find(PlanRow, { where: { id: In([...planIds]) } });
  }

  /** The plans of a year, oldest first. */
  async ofYear(year: number): Promise<PlanRow[]> {
    return this.manager.find(PlanRow, { where: { year }, order: { createdAt: 'ASC' } });
  }

  /** The plans of a year that have a published revision (R11). */
  async publishedOfYear(year: number): Promise<PlanRow[]> {
    return this.manager.find(PlanRow, { where: { year, publishedRevision: Not(IsNull()) } });
  }

  /** Stores a new plan and its first revision (R10). */
  async insert(plan: PlanRow, revision: PlanRevisionRow): Promise<void> {
    await insertRows(this.manager, PlanRow, plan);
    await insertRows(this.manager, PlanRevisionRow, revision);
  }

  /**
   * Moves a plan's latest revision from `from` to `to`, only if it still is `from` (R11: one new
   * revision per change, however many change it at once); false when someone else moved it first.
   */
  async moveCurrentRevision(planId: string, from: number, to: number): Promise<boolean> {
    const moved = await updateRows(
      this.manager,
      PlanRow,
      { id: planId, currentRevision: from },
      { currentRevision: to },
    );
    return moved.affected === 1;
  }

  /**
   * Marks the latest published revision of a plan; never backwards: a newer revision published
   * meanwhile stays the published one.
   */
  async raisePublishedRevision(planId: string, revision: number): Promise<void> {
    await this.manager
      .createQueryBuilder()
      .update(PlanRow)
      .set({ publishedRevision: revision })
      .where('id = :id AND (published_revision IS NULL OR published_revision < :revision)', { id: planId, revision })
      .execute();
  }

  /** Stores a new revision of a plan (R11). */
  async insertRevision(revision: PlanRevisionRow): Promise<void> {
    await insertRows(this.manager, PlanRevisionRow, revision);
  }

  /** A revision of a plan; fails (EntityNotFoundError) when there is none. */
  async revision(planId: string, revision: number): Promise<PlanRevisionRow> {
    return this.manager.findOneByOrFail(PlanRevisionRow, { planId, revision });
  }

  /** Some revisions, each named by plan and revision number, in one statement (those that exist). */
  async revisionsAt(keys: ReadonlyArray<{ planId: string; revision: number }>): Promise<PlanRevisionRow[]> {
    if (keys.length === 0) return [];
    return this.manager.find(PlanRevisionRow, { where: keys.map(({ planId, revision }) => ({ planId, revision })) });
  }

  /** Every revision of a plan, oldest first. */
  async revisionsOf(planId: string): Promise<PlanRevisionRow[]> {
    return this.manager.find(PlanRevisionRow, { where: { planId }, order: { revision: 'ASC' } });
  }

  /** Every revision of some plans, in no particular order (one statement). */
  async revisionsOfPlans(planIds: readonly string[]): Promise<PlanRevisionRow[]> {
    return this.manager.find(PlanRevisionRow, { where: { planId: In([...planIds]) } });
  }

  /**
   * Publishes a revision that is not published yet (R11): false when it is published already
   * (someone else just did).
   */
  async markPublished(planId: string, revision: number, at: Date, by: string): Promise<boolean> {
    const done = await updateRows(
      this.manager,
      PlanRevisionRow,
      { planId, revision, publishedAt: IsNull() },
      { publishedAt: at, publishedBy: by },
    );
    return done.affected === 1;
  }

  /** Every revision not published, the oldest change first (R11: which are overdue). */
  async unpublishedRevisions(): Promise<PlanRevisionRow[]> {
    return this.manager.find(PlanRevisionRow, { where: { publishedAt: IsNull() }, order: { changedAt: 'ASC' } });
  }
}
