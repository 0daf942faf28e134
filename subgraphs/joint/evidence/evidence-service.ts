import { createHash } from 'node:crypto';
import { badInput, conflict, forbidden, HubError, ErrorCode, notFound, unauthenticated } from '../../../kernel/errors';
import { type Identity, Role } from '../../../kernel/identity';
import { isDuplicateKey } from '../../department-kernel/repository';
import { assertTargetKey } from '../../../kernel/target-key';
import type { JointDeps } from '../context';
import type { JointStore } from '../store';
import type { DrawnTargetRow } from '../tasks/entities';
import type { TeamMemberRow } from '../teams/entities';
import { EvidenceLinkRow, EvidenceRow } from './entities';
import { TaskService, TaskStatus } from '../tasks/task-service';

/** What a piece of evidence is (EvidenceLinkRow.kind). */
export const EvidenceKind = {
  /** A photo taken on site. */
  PHOTO: 'PHOTO',
  /** A document: a scan, a PDF the business handed over, a written record. */
  DOCUMENT: 'DOCUMENT',
  /** A signature drawn on the phone's screen (the business's or a team member's). */
  SIGNATURE: 'SIGNATURE',
  /** The joint record form the hub made (汇总表). */
  FORM: 'FORM',
  /** The notice the hub made (部门联合检查通知书). */
  NOTICE: 'NOTICE',
} as const;
export type EvidenceKind = (typeof EvidenceKind)[keyof typeof EvidenceKind];

/** The types a phone may send, by kind; found in the bytes (sniffMediaType). FORM and NOTICE are the hub's own. */
export const UPLOADABLE: Record<'PHOTO' | 'DOCUMENT' | 'SIGNATURE', readonly string[]> = {
  PHOTO: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'],
  DOCUMENT: ['application/pdf', 'image/jpeg', 'image/png'],
  SIGNATURE: ['image/png'],
};

/** A reference to stored evidence, as results carry it. */
export const EVIDENCE_REF = /^sha256:([0-9a-f]{64})$/;

export function evidenceRef(sha256: string): string {
  return `sha256:${sha256}`;
}

/** SHA-256 of bytes, in hex: the key a file is stored under. */
export function sha256OfBytes(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The type of a file from its first bytes (its magic number), so a file is what it says it is
 * whatever name or Content-Type it came with; null for anything else. The few types evidence may
 * have are checked here rather than through `file-type`, whose maintained line is ESM-only and
 * needs Node 22 (the hub runs on Node 20 under CommonJS).
 */
export function sniffMediaType(bytes: Uint8Array): string | null {
  const starts = (offset: number, ...values: number[]) => values.every((v, i) => bytes[offset + i] === v);
  const ascii = (offset: number, text: string) => starts(offset, ...[...text].map((c) => c.charCodeAt(0)));
  if (bytes.length >= 4 && starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (bytes.length >= 8 && starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (bytes.length >= 12 && ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  // HEIF/HEIC (an iPhone's photos): an ISO box `ftyp` whose brand is one of HEIC's.
  if (
    bytes.length >= 12 &&
    ascii(4, 'ftyp') &&
    ['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].some((brand) => ascii(8, brand))
  )
    return 'image/heic';
  if (bytes.length >= 5 && ascii(0, '%PDF-')) return 'application/pdf';
  return null;
}

/** What the store says of a piece of evidence it keeps. */
export interface StoredEvidence {
  sha256: string;
  ref: string;
  mediaType: string;
  size: number;
  kind: EvidenceKind;
}

/** Roles of a department that read its task's evidence (besides the visit's team). */
const DEPARTMENT_READERS: readonly Role[] = [Role.COORDINATOR, Role.DEPT_ADMIN, Role.DEPUTY_HEAD, Role.PRINCIPAL_HEAD];

/**
 * Stores and serves evidence. A phone sends it for one visit of a locked task; the sender must be
 * an active member of that visit's team (R30). It is read by that visit's team, and by the
 * coordinators, admins and heads of the departments taking part in the task (the departments
 * whose results refer to it, and whose shares of the record form it is on); by no one else, and
 * never by the public. Someone who may not read a piece of evidence is told it is not there, as if
 * it did not exist (its hash tells nothing then).
 */
export class EvidenceService {
  constructor(private readonly deps: JointDeps) {}

  /** The largest piece of evidence, in bytes (JOINTCHECK_MAX_EVIDENCE_BYTES, deps.onSite). */
  get maxBytes(): number {
    return this.deps.onSite.maxEvidenceBytes;
  }

  /** R30: the caller is an active member of the visit's team of a locked task; answers the visit. */
  async requireTeamMember(
    identity: Identity,
    taskId: string,
    targetKey: string,
    what: string,
  ): Promise<{ task: Awaited<ReturnType<TaskService['requireTask']>>; visit: DrawnTargetRow; team: TeamMemberRow[] }> {
    if (identity.role === Role.PUBLIC) throw unauthenticated(`Sign in to ${what}.`);
    if (identity.role !== Role.INSPECTOR)
      throw forbidden(`Only a member of the visit's team may ${what}; you are ${identity.role}.`, { rule: 'R30' });
    if (typeof taskId !== 'string' || taskId.length === 0 || taskId.length > 36)
      throw badInput('taskId: the task the visit belongs to is required.', { field: 'taskId' });
    assertTargetKey(targetKey, 'targetKey');
    const tasks = new TaskService(this.deps);
    const task = await tasks.requireTask(taskId);
    const notOnTeam = () =>
      forbidden(
        `Only a member of the team for ${targetKey} may ${what}; you are ${identity.role} ${identity.subject}.`,
        { rule: 'R30' },
      );
    if (identity.department === null || !(await tasks.planContent(task)).departments.includes(identity.department))
      throw notOnTeam();
    if (task.status !== TaskStatus.LOCKED)
      throw conflict(
        `Task ${task.id} is ${task.status}: a visit's evidence and papers belong to visits of a locked task.`,
        { field: 'taskId' },
      );
    const visit = await this.deps.store.tasks.drawnTarget(task.id, targetKey);
    if (!visit) throw notFound(`${targetKey} is not a target of task ${task.id}.`, { field: 'targetKey' });
    const team = await this.deps.store.teams.activeTeam(task.id, targetKey);
    if (!team.some((m) => m.personId === identity.subject && m.department === identity.department)) throw notOnTeam();
    return { task, visit, team };
  }

  /**
   * Stores a piece of evidence a team member sent for a visit: checked by content (its type must be
   * one its kind allows), capped in size, keyed by its SHA-256 (sent again: stored once, answered
   * the same, `created` false). `expectedSha256`, when the phone gives it, must be the hash of what
   * arrived: a file cut short on the way is refused, never stored as if whole. Each new link is in
   * the audit trail (R29).
   */
  async upload(
    identity: Identity,
    input: { taskId: string; targetKey: string; kind: string; expectedSha256?: string | null },
    bytes: Buffer,
  ): Promise<StoredEvidence & { created: boolean }> {
    await this.requireTeamMember(identity, input.taskId, input.targetKey, 'send evidence of this visit');
    const kind = input.kind as keyof typeof UPLOADABLE;
    if (!Object.hasOwn(UPLOADABLE, kind))
      throw badInput(
        `kind '${String(input.kind).slice(0, 20)}' is not one a phone sends: PHOTO, DOCUMENT or SIGNATURE.`,
        { field: 'kind' },
      );
    if (input.expectedSha256 && !/^[0-9a-fA-F]{64}$/.test(input.expectedSha256))
      throw badInput('X-Content-SHA256: the SHA-256 of the file, 64 hexadecimal digits.', { field: 'content' });
    if (bytes.length === 0) throw badInput('The file is empty: nothing was stored.', { field: 'content' });
    if (bytes.length > this.maxBytes)
      throw badInput(
        `The file has ${bytes.length} bytes; evidence is at most ${this.maxBytes} bytes ` +
          `(${Math.floor(this.maxBytes / 1024 / 1024)} MB): send a smaller photo or split the document.`,
        { field: 'content', maxBytes: this.maxBytes },
      );
    const sha256 = sha256OfBytes(bytes);
    if (input.expectedSha256 && input.expectedSha256.toLowerCase() !== sha256) {
      throw badInput(
        `The file that arrived has SHA-256 ${sha256}, not ${input.expectedSha256}: it was changed or cut ` +
          `short on the way. Nothing was stored; send it again.`,
        { field: 'content' },
      );
    }
    const mediaType = sniffMediaType(bytes);
    const allowed = UPLOADABLE[kind];
    if (!mediaType || !allowed.includes(mediaType)) {
      throw badInput(
        `The file is ${mediaType ?? 'of no type evidence may have'} by its content; ${kind} evidence is ` +
          `${allowed.join(', ')}. Nothing was stored.`,
        { field: 'content' },
      );
    }
    const now = this.deps.clock();
    const created = await this.deps.store.transaction((tx) =>
      this.keep(
        tx,
        identity,
        { sha256, mediaType, bytes, kind, taskId: input.taskId, targetKey: input.targetKey },
        now,
      ),
    );
    return { sha256, ref: evidenceRef(sha256), mediaType, size: bytes.length, kind, created };
  }

  /**
   * Keeps bytes under their hash (in parts, EVIDENCE_CHUNK_BYTES) and links them to a visit, inside
   * the caller's transaction (the hub's papers are kept with the record that made them; `tx` is the
   * transaction's store). A link already there is left as it was (false); a new one is audited (R29).
   * The same bytes sent for the visit as another kind are refused: a photo is not a signature.
   */
  async keep(
    tx: JointStore,
    identity: Identity,
    what: { sha256: string; mediaType: string; bytes: Buffer; kind: EvidenceKind; taskId: string; targetKey: string },
    now: Date,
  ): Promise<boolean> {
    const linked = await tx.evidence.link(what.sha256, what.taskId, what.targetKey);
    if (linked) {
      if (linked.kind !== what.kind)
        throw conflict(
          `This file was sent for ${what.targetKey} as ${linked.kind} already; it cannot also be its ${what.kind}.`,
          { field: 'kind' },
        );
      return false;
    }
    try {
      if (!(await tx.evidence.isStored(what.sha256))) {
        await tx.evidence.insertFile(
          Object.assign(new EvidenceRow(), {
            sha256: what.sha256,
            mediaType: what.mediaType,
            size: what.bytes.length,
            storedAt: now,
          }),
          what.bytes,
        );
      }
      await tx.evidence.insertLink(
        Object.assign(new EvidenceLinkRow(), {
          sha256: what.sha256,
          taskId: what.taskId,
          targetKey: what.targetKey,
          kind: what.kind,
          uploadedBy: identity.subject,
          uploadedAt: now,
        }),
      );
    } catch (error) {
      // The same file sent twice at once (a phone retrying while its first send still ran): the first one stored it.
      if (isDuplicateKey(error))
        throw new HubError(
          ErrorCode.UNAVAILABLE,
          'The same file is being stored by another request at this moment; send it again (it is kept once).',
          { retryable: true },
        );
      throw error;
    }
    await tx.audit.append(
      identity,
      {
        action: 'evidence.stored',
        entityId: what.taskId,
        details: {
          targetKey: what.targetKey,
          sha256: what.sha256,
          kind: what.kind,
          mediaType: what.mediaType,
          size: what.bytes.length,
        },
      },
      now,
    ); // R29
    return true;
  }

  /** The bytes of a stored piece of evidence, its parts put together. */
  bytesOf(sha256: string): Promise<Buffer> {
    return this.deps.store.evidence.bytesOf(sha256);
  }

  /** The hashes among `sha256s` stored for this visit (a result may refer only to those). */
  async linkedTo(taskId: string, targetKey: string, sha256s: readonly string[]): Promise<Set<string>> {
    if (sha256s.length === 0) return new Set();
    return new Set(await this.deps.store.evidence.linkedHashes(taskId, targetKey, [...new Set(sha256s)]));
  }

  /** The bytes of a piece of evidence, for a caller who may read it (see the class); NOT_FOUND otherwise. */
  async read(identity: Identity, sha256: string): Promise<{ row: EvidenceRow; bytes: Buffer }> {
    if (identity.role === Role.PUBLIC)
      throw unauthenticated(
        "Evidence is never public: sign in as a member of the visit's team or an official of a department taking part.",
      );
    const hidden = () =>
      notFound(
        `No evidence sha256:${sha256} that you may read: evidence is read by the visit's team and the ` +
          `departments taking part in its task (R30).`,
        { field: 'sha256' },
      );
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw badInput('The evidence is named by its SHA-256: 64 lower-case hexadecimal characters.', {
        field: 'sha256',
      });
    const links = await this.deps.store.evidence.linksOf(sha256);
    if (!(await this.mayRead(identity, links))) throw hidden();
    const row = await this.deps.store.evidence.file(sha256);
    if (!row) throw hidden();
    return { row, bytes: await this.bytesOf(sha256) };
  }

  private async mayRead(identity: Identity, links: EvidenceLinkRow[]): Promise<boolean> {
    if (identity.department === null || links.length === 0) return false;
    if (identity.role === Role.INSPECTOR) {
      for (const l of links) {
        if (await this.deps.store.teams.isActiveMember(l.taskId, l.targetKey, identity.subject, identity.department))
          return true;
      }
      return false;
    }
    if (!DEPARTMENT_READERS.includes(identity.role)) return false;
    const tasks = new TaskService(this.deps);
    for (const taskId of new Set(links.map((l) => l.taskId))) {
      const task = await tasks.requireTask(taskId).catch((error: unknown) => {
        if (error instanceof HubError && error.extensions.code === ErrorCode.NOT_FOUND) return null;
        throw error;
      });
      if (task && (await tasks.planContent(task)).departments.includes(identity.department)) return true;
    }
    return false;
  }
}
