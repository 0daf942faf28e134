import { randomUUID } from 'node:crypto';
import { isDuplicateKey } from '../../department-kernel/repository';
import { badInput, conflict, ErrorCode, HubError } from '../../../kernel/errors';
import type { Identity } from '../../../kernel/identity';
import { refuseControlCharacters, requireText } from '../../../kernel/validation';
import type { JointDeps } from '../context';
import type { DrawnTargetRow, TaskRow } from '../tasks/entities';
import type { TeamMemberRow } from '../teams/entities';
import { TaskService } from '../tasks/task-service';
import { visitItems } from '../visits/checklist';
import { codeOf, storeIssuedCode } from '../visits/issue-code';
import type { SubmissionRow } from '../visits/entities';
import { sha256Hex } from '../draw/canonical';
import { EVIDENCE_REF, EvidenceKind, EvidenceService, sha256OfBytes } from '../evidence/evidence-service';
import { METHOD_LABELS, VISIT_MEASURES, type ContentResult } from '../visits/submission-content';
import { RecordFormRow } from './entities';
import { renderRecordForm, type FormTarget, type RecordFormData } from './pdf';
import { targetOnPapers } from './target-facts';

/** The most versions of a record form, and the most notices, one visit has (each is a signing or an announced day). */
export const MAX_PAPERS_PER_VISIT = 20;

/**
 * How the business acknowledged the form, and the signatures: what a phone sends once the business and the team have
 * signed.
 */
export interface RecordFormRequest {
  taskId: string;
  targetKey: string;
  /** The submission's content digest as the phone showed it when they signed. */
  contentDigest: string;
  acknowledgement: 'SIGNED' | 'REFUSED';
  businessSignerName?: string | null;
  /** SIGNED: `sha256:<hex>` of the business's signature, sent as SIGNATURE evidence of the visit. */
  businessSignature?: string | null;
  /** REFUSED: the inspectors' note saying the business refused to sign or stamp. */
  refusalNote?: string | null;
  /** Every active member of the team, once: their signature as SIGNATURE evidence of the visit. */
  teamSignatures: Array<{ personId: string; department: string; signature: string }>;
}

/**
 * The joint record form (《部门联合抽查情况记录表（汇总表）》, Zibo rules art. 17; issue J): made by
 * the hub from a visit's stored submission and the signatures drawn on the phone, as a PDF; kept
 * in the evidence store and its SHA-256 written to the audit trail (R29), so the paper and the
 * record can be compared later. The signatures are made over the submission's content digest: a
 * form whose signatures were made over other results (a result changed after signing) is refused,
 * and the phone must have the form signed again (R29). The same request sent again (a phone
 * retrying) answers the form made the first time; other signatures for the same visit make a new
 * version that supersedes the one before.
 */
export class RecordFormService {
  constructor(private readonly deps: JointDeps) {}

  async sign(identity: Identity, input: RecordFormRequest): Promise<RecordFormRow> {
    const evidence = new EvidenceService(this.deps);
    const { task, visit, team } = await evidence.requireTeamMember(
      identity,
      input.taskId,
      input.targetKey,
      'have the joint record form made',
    );
    const papers = this.deps.store.papers;
    const submission = await this.deps.store.submissions.ofVisit(task.id, input.targetKey);
    if (!submission)
      throw conflict(
        `The results of ${input.targetKey} have not been submitted: the form is made from the submitted ` +
          `results; send them first.`,
        { field: 'targetKey', rule: 'R24' },
      );
    if (typeof input.contentDigest !== 'string' || !/^[0-9a-f]{64}$/.test(input.contentDigest))
      throw badInput(
        'contentDigest: the SHA-256 (64 lower-case hexadecimal digits) of the results the signatures were made over.',
        { field: 'contentDigest' },
      );
    // R29: the paper shows what was signed; the record holds what was submitted. They must be the same.
    if (submission.contentDigest !== input.contentDigest) {
      throw conflict(
        `The signatures were made over results with digest ${input.contentDigest.slice(0, 12)}…, but the ` +
          `submitted results of ${input.targetKey} have digest ` +
          `${submission.contentDigest?.slice(0, 12) ?? '(none kept)'}…: a result changed after signing. Show ` +
          `the business and the team the submitted results and have the form signed again (R29).`,
        {
          field: 'contentDigest',
          rule: 'R29',
        },
      );
    }
    const signatures = await this.checkSignatures(input, team);
    const requestDigest = sha256Hex(
      JSON.stringify([
        input.contentDigest,
        input.acknowledgement,
        input.businessSignerName?.trim() ?? null,
        signatures.business,
        input.refusalNote?.trim() ?? null,
        signatures.team,
      ]),
    );
    const made = await papers.formByRequest(task.id, input.targetKey, requestDigest);
    if (made) return made;
    const previous = await papers.latestForm(task.id, input.targetKey);
    const version = (previous?.version ?? 0) + 1;
    if (version > MAX_PAPERS_PER_VISIT)
      throw conflict(
        `${input.targetKey} has ${MAX_PAPERS_PER_VISIT} record forms already: a visit is signed again only to ` +
          `mend a form; ask the lead department why so many were needed.`,
        { field: 'targetKey' },
      );
    const now = this.deps.clock();
    // R32: the form prints the visit's inspection code; a visit without one gets it now, stored with the form.
    const code = await codeOf(this.deps, identity, task.id, input.targetKey, now);
    const data = await this.formData(task, visit, team, submission, input, signatures, {
      version,
      code: code.code,
      now,
    });
    const pdf = await renderRecordForm(data);
    const pdfSha256 = sha256OfBytes(pdf);
    const row = Object.assign(new RecordFormRow(), {
      id: randomUUID(),
      taskId: task.id,
      targetKey: input.targetKey,
      version,
      submissionId: submission.id,
      contentDigest: input.contentDigest,
      requestDigest,
      pdfSha256,
      acknowledgement: input.acknowledgement,
      businessSigner: input.acknowledgement === 'SIGNED' ? input.businessSignerName!.trim() : null,
      refusalNote: input.acknowledgement === 'REFUSED' ? input.refusalNote!.trim() : null,
      signatures,
      madeAt: now,
      madeBy: identity.subject,
    });
    try {
      await this.deps.store.transaction(async (tx) => {
        await storeIssuedCode(tx, identity, code, now);
        await tx.papers.insertForm(row);
        await evidence.keep(
          tx,
          identity,
          {
            sha256: pdfSha256,
            mediaType: 'application/pdf',
            bytes: pdf,
            kind: EvidenceKind.FORM,
            taskId: task.id,
            targetKey: input.targetKey,
          },
          now,
        );
        // R29: the archived form's hash in the trail: the paper and the record can be compared later.
        await tx.audit.append(
          identity,
          {
            action: 'record-form.archived',
            entityId: task.id,
            details: {
              targetKey: input.targetKey,
              version,
              pdfSha256,
              contentDigest: input.contentDigest,
              submissionId: submission.id,
              acknowledgement: input.acknowledgement,
              ...(previous ? { supersedes: previous.pdfSha256 } : {}),
            },
          },
          now,
        );
      });
    } catch (error) {
      // The same request twice at once (a phone retrying while its first send ran): the first made it.
      if (!isDuplicateKey(error)) throw error;
      const first = await papers.formByRequest(task.id, input.targetKey, requestDigest);
      if (first) return first;
      throw new HubError(
        ErrorCode.UNAVAILABLE,
        `Another form (or the inspection code) of ${input.targetKey} was made at the same moment; send this one again.`,
        { field: 'targetKey', retryable: true },
      );
    }
    return row;
  }

  /** The forms of some visits of a task, oldest version first. */
  async formsOf(taskId: string, targetKeys: readonly string[]): Promise<RecordFormRow[]> {
    if (targetKeys.length === 0) return [];
    return this.deps.store.papers.formsOf(taskId, targetKeys);
  }

  /**
   * Every active member signs once, with a signature sent for this visit; the business signs or the inspectors note
   * its refusal.
   */
  private async checkSignatures(input: RecordFormRequest, team: TeamMemberRow[]): Promise<RecordFormRow['signatures']> {
    const refOf = (value: unknown, field: string): string => {
      const hash = typeof value === 'string' ? EVIDENCE_REF.exec(value)?.[1] : undefined;
      if (!hash)
        throw badInput(
          `${field}: a signature sent for this visit (POST /evidence, kind SIGNATURE), as sha256:<64 hex digits>.`,
          { field },
        );
      return hash;
    };
    let business: string | null = null;
    if (input.acknowledgement === 'SIGNED') {
      requireText(input.businessSignerName, 'businessSignerName', 50, "the name of the business's person who signed");
      business = refOf(input.businessSignature, 'businessSignature');
      if (input.refusalNote)
        throw badInput('refusalNote: the business signed; a refusal note is for a business that refused to sign.', {
          field: 'refusalNote',
        });
    } else if (input.acknowledgement === 'REFUSED') {
      // Zibo rules art. 17: 被检查对象拒绝签字或盖章的，由执法检查人员在汇总表上签字说明.
      requireText(
        input.refusalNote,
        'refusalNote',
        2000,
        'the inspectors say what happened when the business refused to sign or stamp',
      );
      refuseControlCharacters(input.refusalNote!, 'refusalNote');
      if (input.businessSignature)
        throw badInput('businessSignature: the business refused to sign; leave its signature out.', {
          field: 'businessSignature',
        });
    } else {
      throw badInput('acknowledgement: SIGNED or REFUSED.', { field: 'acknowledgement' });
    }
    const signed = new Map<string, string>();
    (input.teamSignatures ?? []).forEach((s, i) => {
      const member = team.find((t) => t.personId === s.personId && t.department === s.department);
      if (!member)
        throw badInput(
          `teamSignatures[${i}]: ${s.department} ${s.personId} is not an active member of this visit's team.`,
          { field: `teamSignatures[${i}]` },
        );
      if (signed.has(`${s.department}/${s.personId}`))
        throw badInput(`teamSignatures[${i}]: ${member.name} has signed already in this request.`, {
          field: `teamSignatures[${i}]`,
        });
      signed.set(`${s.department}/${s.personId}`, refOf(s.signature, `teamSignatures[${i}].signature`));
    });
    const unsigned = team.filter((t) => !signed.has(`${t.department}/${t.personId}`));
    if (unsigned.length)
      throw badInput(
        `The whole team signs the form (Zibo rules art. 17): ` +
          `${unsigned.map((t) => `${t.name} (${t.department})`).join(', ')} ` +
          `ha${unsigned.length > 1 ? 've' : 's'} not signed.`,
        { field: 'teamSignatures' },
      );
    const hashes = [...signed.values(), ...(business ? [business] : [])];
    // Each person signs for themselves: one drawing does not stand for two signatures.
    if (new Set(hashes).size !== hashes.length)
      throw badInput(
        'Each signature is drawn by its signer: the same image was given for two people (the business or ' +
          'team members). Have each one sign.',
        { field: 'teamSignatures' },
      );
    const links = await this.deps.store.evidence.linksAmong(input.taskId, input.targetKey, hashes);
    const missing = hashes.find((h) => !links.some((l) => l.sha256 === h && l.kind === EvidenceKind.SIGNATURE));
    if (missing)
      throw badInput(
        `Signature sha256:${missing} has not been sent for ${input.targetKey} as a SIGNATURE: send the ` +
          `signature images first, then the form.`,
        { field: 'teamSignatures' },
      );
    return {
      business,
      // In a fixed order, so the same request's digest is the same whatever order the database gave the team in.
      team: team
        .map((t) => ({
          personId: t.personId,
          department: t.department,
          sha256: signed.get(`${t.department}/${t.personId}`)!,
        }))
        .sort((a, b) =>
          a.department === b.department ? (a.personId < b.personId ? -1 : 1) : a.department < b.department ? -1 : 1,
        ),
    };
  }

  private async formData(
    task: TaskRow,
    visit: DrawnTargetRow,
    team: TeamMemberRow[],
    submission: SubmissionRow,
    input: RecordFormRequest,
    signatures: RecordFormRow['signatures'],
    at: { version: number; code: string; now: Date },
  ): Promise<RecordFormData> {
    const content = await new TaskService(this.deps).planContent(task);
    const items = visitItems(content, visit);
    const results = submission.results as ContentResult[];
    const departments = [task.leadDepartment, ...content.departments.filter((d) => d !== task.leadDepartment)];
    const labels = new Map(await Promise.all(departments.map(async (d) => [d, await this.outcomeLabels(d)] as const)));
    const evidence = new EvidenceService(this.deps);
    const hashes = [...signatures.team.map((s) => s.sha256), ...(signatures.business ? [signatures.business] : [])];
    const images = new Map(await Promise.all(hashes.map(async (h) => [h, await evidence.bytesOf(h)] as const)));
    const image = (sha256: string | null) => (sha256 ? (images.get(sha256) ?? null) : null);
    const target: FormTarget = await targetOnPapers(this.deps, visit);
    const name = (code: string) => this.deps.departments.displayName(code);
    return {
      formNo: `JF-${task.year}-${task.id.slice(0, 8).toUpperCase()}-${visit.position}-${at.version}`,
      version: at.version,
      taskName: task.name,
      leadDepartmentName: name(task.leadDepartment),
      target,
      inspectedOn: submission.inspectedOn,
      departments: departments
        .map((d) => ({
          code: d,
          name: name(d),
          items: results
            .filter((r) => r.department === d)
            .map((r) => {
              const item = items.find((i) => i.department === d && i.code === r.itemCode);
              return {
                code: r.itemCode,
                title: item?.title ?? r.itemCode,
                basis: item?.basis ?? '',
                methodLabel: METHOD_LABELS[r.method] ?? r.method,
                outcome: r.outcome,
                outcomeLabel: labels.get(d)?.get(r.outcome) ?? r.outcome,
                notes: r.notes ?? null,
                measures: (r.measures ?? []).map((x) => VISIT_MEASURES[x as keyof typeof VISIT_MEASURES] ?? x),
                evidence: [...(r.evidence ?? [])],
                penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure === true,
                statutoryCheckFailed: r.statutoryCheckFailed === true,
                leadFor: r.leadFor ? name(r.leadFor) : null,
                leadNote: r.leadFor ? (r.leadNote ?? null) : null,
              };
            }),
        }))
        .filter((d) => d.items.length > 0),
      team: team
        .slice()
        .sort(
          (a, b) =>
            Number(b.leader) - Number(a.leader) ||
            departments.indexOf(a.department) - departments.indexOf(b.department) ||
            a.name.localeCompare(b.name),
        )
        .map((t) => ({
          name: t.name,
          department: t.department,
          departmentName: name(t.department),
          certificateNo: t.certificateNo,
          kind: t.kind === 'EXPERT' ? ('EXPERT' as const) : ('INSPECTOR' as const),
          leader: t.leader,
          signaturePng: image(
            signatures.team.find((s) => s.personId === t.personId && s.department === t.department)?.sha256 ?? null,
          ),
        })),
      business:
        input.acknowledgement === 'SIGNED'
          ? { kind: 'SIGNED', signerName: input.businessSignerName!.trim(), signaturePng: image(signatures.business)! }
          : { kind: 'REFUSED', note: input.refusalNote!.trim() },
      inspectionCode: at.code,
      checkUrl: `${this.deps.onSite.publicUrl}/code?code=${encodeURIComponent(at.code)}`,
      contentDigest: input.contentDigest,
      madeAt: at.now,
      training: task.training,
    };
  }

  /** A department's outcome labels by code; none when it cannot be reached (the form then prints the codes). */
  private async outcomeLabels(department: string): Promise<Map<string, string>> {
    if (!this.deps.departments.has(department)) return new Map();
    try {
      const data = await this.deps.departments.run<
        Record<string, { outcomes: Array<{ code: string; label: string; status: string }> }>
      >(department, 'DepartmentOutcomes');
      // The current label of each code (a superseded version keeps the meaning it had).
      const outcomes = data[department]!.outcomes;
      return new Map(
        [...outcomes.filter((o) => o.status !== 'CURRENT'), ...outcomes.filter((o) => o.status === 'CURRENT')].map(
          (o) => [o.code, o.label],
        ),
      );
    } catch (error) {
      if (error instanceof HubError && error.extensions.code === ErrorCode.DOWNSTREAM_SERVICE_ERROR) return new Map();
      throw error;
    }
  }
}
