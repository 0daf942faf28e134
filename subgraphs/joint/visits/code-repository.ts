import { type EntityManager, In } from 'typeorm';
import { insertRows } from '../../../kernel/rows';
import { InspectionCodeRow, VisitFeedbackRow } from './entities';

/** Inspection codes and the businesses' feedback on them (R32): the only code that reads or writes their tables. */
export class InspectionCodeRepository {
  constructor(readonly manager: EntityManager) {}

  /** A visit's inspection code, if one was issued (a visit has at most one). */
  async ofVisit(taskId: string, targetKey: string): Promise<InspectionCodeRow | null> {
    return this.manager.findOneBy(InspectionCodeRow, { taskId, targetKey });
  }

  /** A visit's inspection code, which must be there (issued meanwhile by another caller, say). */
  async ofVisitOrFail(taskId: string, targetKey: string): Promise<InspectionCodeRow> {
    return this.manager.findOneByOrFail(InspectionCodeRow, { taskId, targetKey });
  }

  /** The codes of some visits of a task, in one statement (none for no keys). */
  async ofVisits(taskId: string, targetKeys: readonly string[]): Promise<InspectionCodeRow[]> {
    if (targetKeys.length === 0) return [];
    return this.manager.find(InspectionCodeRow, { where: { taskId, targetKey: In([...targetKeys]) } });
  }

  /** An issued code by its normalised form (codes.ts), or null: not a registered visit's. */
  async byCode(code: string): Promise<InspectionCodeRow | null> {
    return this.manager.findOneBy(InspectionCodeRow, { code });
  }

  /** Stores a new code; a second one for the same visit (or the same code) is a duplicate key. */
  async insert(row: InspectionCodeRow): Promise<void> {
    await insertRows(this.manager, InspectionCodeRow, row);
  }

  /** The feedback left against some codes, oldest first, in one statement (none for no codes). */
  async feedbackOn(codes: readonly string[]): Promise<VisitFeedbackRow[]> {
    if (codes.length === 0) return [];
    return this.manager.find(VisitFeedbackRow, { where: { code: In([...codes]) }, order: { leftAt: 'ASC' } });
  }

  /** Stores a business's rating of, or complaint about, a visit. */
  async insertFeedback(row: VisitFeedbackRow): Promise<void> {
    await insertRows(this.manager, VisitFeedbackRow, row);
  }
}
