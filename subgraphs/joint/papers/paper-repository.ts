import { In, type EntityManager } from 'typeorm';
import { insertRows } from '../../../kernel/rows';
import { NoticeRow, RecordFormRow } from './entities';

/** The joint record forms and notices (issue J): the only code that reads or writes their tables. */
export class PaperRepository {
  constructor(readonly manager: EntityManager) {}

  /** The record form of a visit made for this request (its digest), if one was. */
  formByRequest(taskId: string, targetKey: string, requestDigest: string): Promise<RecordFormRow | null> {
    return this.manager.findOneBy(RecordFormRow, { taskId, targetKey, requestDigest });
  }

  /** A visit's latest record form (its highest version), or null when it has none. */
  latestForm(taskId: string, targetKey: string): Promise<RecordFormRow | null> {
    return this.manager.findOne(RecordFormRow, { where: { taskId, targetKey }, order: { version: 'DESC' } });
  }

  /** The record forms of some visits of a task (at least one), oldest version first, in one statement. */
  formsOf(taskId: string, targetKeys: readonly string[]): Promise<RecordFormRow[]> {
    return this.manager.find(RecordFormRow, {
      where: { taskId, targetKey: In([...targetKeys]) },
      order: { version: 'ASC' },
    });
  }

  /** Stores a record form; a duplicate version or request is thrown as the database gives it. */
  async insertForm(form: RecordFormRow): Promise<void> {
    await insertRows(this.manager, RecordFormRow, form);
  }

  /** The notice of a visit made for this request (its digest), if one was. */
  noticeByRequest(taskId: string, targetKey: string, requestDigest: string): Promise<NoticeRow | null> {
    return this.manager.findOneBy(NoticeRow, { taskId, targetKey, requestDigest });
  }

  /** How many notices a visit has. */
  countNotices(taskId: string, targetKey: string): Promise<number> {
    return this.manager.countBy(NoticeRow, { taskId, targetKey });
  }

  /** The notices of some visits of a task (at least one), oldest first, in one statement. */
  noticesOf(taskId: string, targetKeys: readonly string[]): Promise<NoticeRow[]> {
    return this.manager.find(NoticeRow, {
      where: { taskId, targetKey: In([...targetKeys]) },
      order: { issuedAt: 'ASC' },
    });
  }

  /** Stores a notice; a duplicate number or request is thrown as the database gives it. */
  async insertNotice(notice: NoticeRow): Promise<void> {
    await insertRows(this.manager, NoticeRow, notice);
  }
}
