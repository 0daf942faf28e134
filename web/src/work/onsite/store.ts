import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { WebOperations } from '../../api/generated';

/**
 * What the phone keeps for the visit (issue J), in the browser's IndexedDB, so that the inspector
 * works in a basement with no signal: the day's visits as the hub sent them before leaving, the
 * results being entered, and what waits to be sent. Nothing here is trusted by the hub: every
 * submission is checked by the servers when it arrives (R30). One database per browser profile;
 * each record names the inspector (token subject) it belongs to, and a phone shared by two
 * inspectors shows each their own.
 */

// Types from the generated operation types directly (not through api/client.ts, which needs the build's virtual
// module).
export type VisitsAnswer = NonNullable<WebOperations['InspectorVisits']['result']['jointTask']>;
export type Visit = NonNullable<VisitsAnswer['visitPage']>['nodes'][number];
export type SubmissionInput = WebOperations['SubmitVisitResults']['variables']['input'];
export type RecordFormInput = WebOperations['SignRecordForm']['variables']['input'];

/** An outcome of a department's dictionary, as the phone offers it. */
export interface KeptOutcome {
  code: string;
  label: string;
  dishonesty: boolean;
}

/** A visit as kept on the phone: the task it belongs to, the visit, and what its form needs offline. */
export interface KeptVisit {
  /** `${taskId}/${targetKey}`. */
  id: string;
  subject: string;
  task: {
    id: string;
    name: string;
    training: boolean;
    leadDepartment: string;
    departments: string[];
    windowStart: string | null;
    windowEnd: string | null;
  };
  /** The task's place in the inspector's list of tasks (newest first, as the hub lists them). */
  taskOrder: number;
  visit: Visit;
  /**
   * Each participating department's current outcomes (R26's one-step outcomes among them), or the error that kept them
   * from the phone.
   */
  outcomes: Record<string, KeptOutcome[] | { error: string }>;
  /** Department names by code. */
  departmentNames: Record<string, string>;
  /** The hub's today when the visits were kept (the day of the visit defaults to it). */
  hubToday: string;
  keptAt: string;
}

/** A file taken on the phone: what drafts and the outbox hold of it (its bytes are kept once, apart: `keepFile`). */
export interface KeptFile {
  sha256: string;
  kind: 'PHOTO' | 'DOCUMENT' | 'SIGNATURE';
  mediaType: string;
  size: number;
  name: string;
}

/** A file's bytes, written once under the inspector and the file's SHA-256 (`sha256:<hex>` in results). */
export interface FileBytes {
  subject: string;
  sha256: string;
  bytes: ArrayBuffer;
}

/** One item's result being entered. */
export interface DraftResult {
  outcome: string;
  method: string;
  notes: string;
  confidentialNotes: string;
  measures: string[];
  photos: string[];
  penaltyUnderGeneralProcedure: boolean;
  statutoryCheckFailed: boolean;
  leadFor: string;
  leadNote: string;
}

/** The business's acknowledgement and the team's signatures, each made over one content digest. */
export interface DraftSignatures {
  /** The digest of the results the signatures were drawn over; a change of the results clears them. */
  contentDigest: string;
  business: { kind: 'SIGNED'; signerName: string; signature: string } | { kind: 'REFUSED'; note: string } | null;
  /** Signature file hash by `${department}/${personId}`. */
  team: Record<string, string>;
}

/** A visit's results while they are entered, kept at each change. */
export interface Draft {
  id: string;
  subject: string;
  inspectedOn: string;
  results: Record<string, DraftResult>;
  files: Record<string, KeptFile>;
  signatures: DraftSignatures | null;
  updatedAt: string;
}

/** Where a waiting submission stands. */
export type OutboxState = 'WAITING' | 'SENT' | 'REFUSED';

/**
 * A visit's submission waiting to be sent, with its idempotency key (R24): its files, its results,
 * its record form. Sent in steps, each kept once done (a file sent is not sent again; the
 * submission sent again with its key is stored once by the hub; the form request sent again answers
 * the same form), so a send cut off anywhere resumes where it stopped.
 */
export interface OutboxEntry {
  /** The idempotency key: made once, when the inspector sends, and never changed. */
  key: string;
  visitId: string;
  subject: string;
  targetName: string;
  taskName: string;
  createdAt: string;
  files: KeptFile[];
  submission: SubmissionInput;
  form: RecordFormInput;
  state: OutboxState;
  /** Files the hub confirmed (their hashes). */
  sentFiles: string[];
  submissionId: string | null;
  formId: string | null;
  pdfSha256: string | null;
  documentPath: string | null;
  attempts: number;
  lastAttemptAt: string | null;
  /** The last reason it was not sent: the network, or the hub's refusal in its words. */
  lastError: string | null;
  lastErrorCode: string | null;
}

/*
 * Every record is keyed by the inspector (token subject) and its own id, so two inspectors sharing a
 * phone never see or overwrite each other's visits, drafts or files.
 */
interface OnSiteDB extends DBSchema {
  visits: { key: [string, string]; value: KeptVisit; indexes: { subject: string } };
  drafts: { key: [string, string]; value: Draft };
  files: { key: [string, string]; value: FileBytes };
  outbox: { key: string; value: OutboxEntry; indexes: { subject: string; visit: [string, string] } };
}

export const DB_NAME = 'jointcheck-onsite';

let opened: Promise<IDBPDatabase<OnSiteDB>> | null = null;

export function db(): Promise<IDBPDatabase<OnSiteDB>> {
  opened ??= openDB<OnSiteDB>(DB_NAME, 2, {
    upgrade(database, oldVersion) {
      // Version 1 (never released) kept files inside drafts and keyed records by visit alone.
      if (oldVersion === 1) for (const name of [...database.objectStoreNames]) database.deleteObjectStore(name);
      database.createObjectStore('visits', { keyPath: ['subject', 'id'] }).createIndex('subject', 'subject');
      database.createObjectStore('drafts', { keyPath: ['subject', 'id'] });
      database.createObjectStore('files', { keyPath: ['subject', 'sha256'] });
      const outbox = database.createObjectStore('outbox', { keyPath: 'key' });
      outbox.createIndex('subject', 'subject');
      outbox.createIndex('visit', ['subject', 'visitId']);
    },
  });
  return opened;
}

/** For tests: forget the open connection (a fresh fake IndexedDB each test). */
export function forgetConnection(): void {
  opened = null;
}

export const visitId = (taskId: string, targetKey: string) => `${taskId}/${targetKey}`;

/**
 * Keeps the visits just read from the hub in place of the inspector's earlier ones. A visit no longer
 * listed (its task cancelled, the inspector replaced) is kept while it has a draft or a submission
 * on the phone: what was entered is never dropped. A department whose outcomes could not be read
 * this time keeps those read before.
 */
export async function keepVisits(subject: string, visits: KeptVisit[]): Promise<void> {
  const d = await db();
  const tx = d.transaction(['visits', 'drafts', 'outbox'], 'readwrite');
  const store = tx.objectStore('visits');
  const fresh = new Map(visits.map((v) => [v.id, v]));
  for (const old of await store.index('subject').getAll(subject)) {
    const now = fresh.get(old.id);
    if (now) {
      for (const [department, outcomes] of Object.entries(now.outcomes))
        if (!Array.isArray(outcomes) && Array.isArray(old.outcomes[department]))
          now.outcomes[department] = old.outcomes[department]!;
      continue;
    }
    const inUse =
      (await tx.objectStore('drafts').getKey([subject, old.id])) !== undefined ||
      (await tx.objectStore('outbox').index('visit').getKey([subject, old.id])) !== undefined;
    if (!inUse) await store.delete([subject, old.id]);
  }
  for (const v of visits) await store.put(v);
  await tx.done;
}

export async function keptVisits(subject: string): Promise<KeptVisit[]> {
  return (await db()).getAllFromIndex('visits', 'subject', subject);
}

export async function keptVisit(subject: string, id: string): Promise<KeptVisit | undefined> {
  return (await db()).get('visits', [subject, id]);
}

export async function draftOf(subject: string, id: string): Promise<Draft | undefined> {
  return (await db()).get('drafts', [subject, id]);
}

/** The visits with a draft on the phone (keys only: nothing of the drafts is read). */
export async function draftedVisits(subject: string): Promise<Set<string>> {
  const keys = await (await db()).getAllKeys('drafts');
  return new Set(keys.filter(([s]) => s === subject).map(([, id]) => id));
}

export async function saveDraft(draft: Draft): Promise<void> {
  await (await db()).put('drafts', draft);
}

/** Keeps a file's bytes once (its hash names it); drafts and the outbox refer to it. */
export async function keepFile(subject: string, file: KeptFile, bytes: ArrayBuffer): Promise<void> {
  await (await db()).put('files', { subject, sha256: file.sha256, bytes });
}

export async function fileBytes(subject: string, sha256: string): Promise<ArrayBuffer | undefined> {
  return (await (await db()).get('files', [subject, sha256]))?.bytes;
}

/** Puts a visit's submission in the outbox and clears its draft, in one transaction: never both, never neither. */
export async function queue(entry: OutboxEntry): Promise<void> {
  const d = await db();
  const tx = d.transaction(['outbox', 'drafts'], 'readwrite');
  await tx.objectStore('outbox').add(entry);
  await tx.objectStore('drafts').delete([entry.subject, entry.visitId]);
  await tx.done;
}

/**
 * A refused submission back to a draft (issue J: the hub refused it, a person mends it): its results,
 * files and date as they were, the signatures void (the results will change). Only while nothing of
 * it is stored by the hub; the entry leaves the outbox in the same transaction.
 */
export async function unqueue(entry: OutboxEntry, draft: Draft): Promise<void> {
  const d = await db();
  const tx = d.transaction(['outbox', 'drafts'], 'readwrite');
  await tx.objectStore('drafts').put(draft);
  await tx.objectStore('outbox').delete(entry.key);
  await tx.done;
}

export async function outbox(subject: string): Promise<OutboxEntry[]> {
  return (await db())
    .getAllFromIndex('outbox', 'subject', subject)
    .then((all) => all.sort((a, b) => a.createdAt.localeCompare(b.createdAt)));
}

export async function outboxOf(subject: string, visit: string): Promise<OutboxEntry | undefined> {
  return (await (await db()).getAllFromIndex('outbox', 'visit', [subject, visit]))[0];
}

export async function saveEntry(entry: OutboxEntry): Promise<void> {
  await (await db()).put('outbox', entry);
}
