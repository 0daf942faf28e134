import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../department-kernel/repository';
import { badInput, conflict, ErrorCode, HubError, notFound } from '../../../kernel/errors';
import { sha256Hex } from '../draw/canonical';
import type { Identity } from '../../../kernel/identity';
import { assertTargetKey } from '../../../kernel/target-key';
import { isCalendarDay, refuseControlCharacters } from '../../../kernel/validation';
import { assertLeadCoordinator } from '../access';
import { chinaDate } from '../calendar/working-days';
import type { JointDeps } from '../context';
import { TaskService, TaskStatus } from '../tasks/task-service';
import { visitItems } from '../visits/checklist';
import { EvidenceKind, EvidenceService, sha256OfBytes } from '../evidence/evidence-service';
import { NoticeRow } from './entities';
import { renderNotice } from './pdf';
import { MAX_PAPERS_PER_VISIT } from './record-form-service';
import { targetOnPapers } from './target-facts';

export interface NoticeRequest {
  taskId: string;
  targetKey: string;
  /** The day of the visit (YYYY-MM-DD). */
  visitOn: string;
  contact?: string | null;
  requirements?: string | null;
}

/**
 * The notice of a joint inspection (部门联合检查通知书, Zibo rules art. 17; issue J): before the visit
 * the team tells the business in writing when it comes and what to prepare, unless the check must
 * not be announced (检查活动或检查事项不宜告知通知的，不得向企业透露情况，不发放部门联合检查通知书): a task
 * created `unannounced` gets none. Made by the lead department's coordinator (R16, R30) for a visit
 * of a locked task, on a day within the plan's window; kept as a PDF in the evidence store (kind
 * NOTICE, never public) and in the audit trail (R29). The same request again answers the notice
 * made; another day makes a new one.
 */
export class NoticeService {
  constructor(private readonly deps: JointDeps) {}

  async issue(identity: Identity, input: NoticeRequest): Promise<NoticeRow> {
    const tasks = new TaskService(this.deps);
    const task = await tasks.requireTask(input.taskId);
    assertLeadCoordinator(identity, task.leadDepartment, 'make the notice of a visit'); // R30
    assertTargetKey(input.targetKey, 'targetKey');
    if (task.unannounced) {
      throw conflict(
        `Task ${task.id} was created not to be announced: no notice is made, and nothing of the visit may be ` +
          `told to the business beforehand (Zibo rules art. 17).`,
        { field: 'taskId' },
      );
    }
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(`Task ${task.id} is ${task.status}: notices are made for visits of a locked task.`, {
        field: 'taskId',
      });
    const visit = await this.deps.store.tasks.drawnTarget(task.id, input.targetKey);
    if (!visit) throw notFound(`${input.targetKey} is not a target of task ${task.id}.`, { field: 'targetKey' });
    const content = await tasks.planContent(task);
    const today = chinaDate(this.deps.clock());
    if (
      !isCalendarDay(input.visitOn) ||
      input.visitOn < today ||
      input.visitOn < content.window.start ||
      input.visitOn > content.window.end
    ) {
      throw badInput(
        `visitOn '${input.visitOn}' must be a day from today (${today}) within the plan's window ` +
          `(${content.window.start} to ${content.window.end}).`,
        { field: 'visitOn' },
      );
    }
    const contact = input.contact?.trim() || null;
    const requirements = input.requirements?.trim() || null;
    if (contact && contact.length > 200)
      throw badInput('contact: at most 200 characters (a name and a telephone number).', { field: 'contact' });
    if (requirements && requirements.length > 2000)
      throw badInput('requirements: at most 2,000 characters.', { field: 'requirements' });
    if (contact) refuseControlCharacters(contact, 'contact');
    if (requirements) refuseControlCharacters(requirements, 'requirements');
    const papers = this.deps.store.papers;
    // The same request again (a coordinator clicking twice, a retry) answers the notice made.
    const requestDigest = sha256Hex(JSON.stringify([input.visitOn, contact, requirements]));
    const same = await papers.noticeByRequest(task.id, input.targetKey, requestDigest);
    if (same) return same;
    const made = await papers.countNotices(task.id, input.targetKey);
    if (made >= MAX_PAPERS_PER_VISIT) {
      throw conflict(
        `${input.targetKey} has ${MAX_PAPERS_PER_VISIT} notices already: a visit is announced again only when ` +
          `its day moves.`,
        { field: 'targetKey' },
      );
    }
    const now = this.deps.clock();
    const items = visitItems(content, visit);
    const departments = [task.leadDepartment, ...content.departments.filter((d) => d !== task.leadDepartment)];
    // Numbered by the visit's place in the drawn order and the visit's notices: unique (the index), found again from
    // the row.
    const noticeNo = `JN-${task.year}-${task.id.slice(0, 8).toUpperCase()}-${visit.position}-${made + 1}`;
    const pdf = await renderNotice({
      noticeNo,
      taskName: task.name,
      leadDepartmentName: this.deps.departments.displayName(task.leadDepartment),
      target: await targetOnPapers(this.deps, visit),
      visitOn: input.visitOn,
      departments: departments
        .map((d) => ({
          name: this.deps.departments.displayName(d),
          items: items.filter((i) => i.department === d).map((i) => ({ title: i.title, basis: i.basis })),
        }))
        .filter((d) => d.items.length > 0),
      contact,
      requirements,
      issuedOn: today,
      madeAt: now,
      training: task.training,
    });
    const row = Object.assign(new NoticeRow(), {
      id: randomUUID(),
      taskId: task.id,
      targetKey: input.targetKey,
      noticeNo,
      requestDigest,
      visitOn: input.visitOn,
      contact,
      requirements,
      pdfSha256: sha256OfBytes(pdf),
      issuedAt: now,
      issuedBy: identity.subject,
    });
    const evidence = new EvidenceService(this.deps);
    try {
      await this.deps.store.transaction(async (tx) => {
        await tx.papers.insertNotice(row);
        await evidence.keep(
          tx,
          identity,
          {
            sha256: row.pdfSha256,
            mediaType: 'application/pdf',
            bytes: pdf,
            kind: EvidenceKind.NOTICE,
            taskId: task.id,
            targetKey: input.targetKey,
          },
          now,
        );
        await tx.audit.append(
          identity,
          {
            action: 'notice.issued',
            entityId: task.id,
            details: { targetKey: input.targetKey, noticeNo, visitOn: input.visitOn, pdfSha256: row.pdfSha256 },
          },
          now,
        ); // R29
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // The same request at the same moment: the first made it. Another one took the number: send again.
      const first = await papers.noticeByRequest(task.id, input.targetKey, requestDigest);
      if (first) return first;
      throw new HubError(
        ErrorCode.UNAVAILABLE,
        `Another notice of ${input.targetKey} was made at the same moment; send this one again.`,
        { field: 'targetKey', retryable: true },
      );
    }
    return row;
  }

  /** The notices of some visits of a task, oldest first. */
  async noticesOf(taskId: string, targetKeys: readonly string[]): Promise<NoticeRow[]> {
    if (targetKeys.length === 0) return [];
    return this.deps.store.papers.noticesOf(taskId, targetKeys);
  }
}
