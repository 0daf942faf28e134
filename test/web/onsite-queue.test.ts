import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { isPassing, sendEntry, sendWaiting, type Transport } from '../../web/src/work/onsite/queue';
import {
  draftOf,
  fileBytes,
  forgetConnection,
  keepFile,
  keepVisits,
  keptVisits,
  outbox,
  queue,
  saveDraft,
  saveEntry,
  type KeptVisit,
  type OutboxEntry,
} from '../../web/src/work/onsite/store';
import { visitDay } from '../../web/src/work/onsite/day';
import { addDays } from '../../web/src/format';

/**
 * Issue J: the phone's outbox (web/src/work/onsite/): a visit's submission waits in IndexedDB and
 * is sent in steps, each kept once done, so a send cut off anywhere resumes where it stopped and
 * nothing is sent twice that the hub would store twice (R24). A fake hub stands for the transport
 * here; test/browser/on-site.test.ts does the same against the real hub in Chromium.
 */

function entry(overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  const file = (sha256: string) => ({
    sha256,
    kind: 'PHOTO' as const,
    mediaType: 'image/jpeg',
    size: 3,
    name: `${sha256}.jpg`,
  });
  return {
    key: 'key-0001-aaaa',
    visitId: 'task-1/91310000MA1K000001',
    subject: 'market-i0001',
    targetName: '上海某某有限公司',
    taskName: '2026年第一批联合抽查',
    createdAt: '2026-03-04T02:00:00.000Z',
    files: [file('a'.repeat(64)), file('b'.repeat(64))],
    submission: {
      taskId: 'task-1',
      targetKey: '91310000MA1K000001',
      inspectedOn: '2026-03-04',
      results: [],
      idempotencyKey: 'key-0001-aaaa',
    },
    form: {
      taskId: 'task-1',
      targetKey: '91310000MA1K000001',
      contentDigest: 'd'.repeat(64),
      acknowledgement: 'SIGNED' as const,
      businessSignerName: '王经理',
      businessSignature: `sha256:${'c'.repeat(64)}`,
      refusalNote: null,
      teamSignatures: [],
    },
    state: 'WAITING',
    sentFiles: [],
    submissionId: null,
    formId: null,
    pdfSha256: null,
    documentPath: null,
    attempts: 0,
    lastAttemptAt: null,
    lastError: null,
    lastErrorCode: null,
    ...overrides,
  };
}

/**
 * A hub that stores what it is sent, by content and key, and can lose its answer (the network dropping after it
 * stored).
 */
function fakeHub() {
  const stored = { files: new Set<string>(), uploads: 0, submissions: new Map<string, string>(), submits: 0, forms: 0 };
  let loseAnswerOf: 'upload' | 'submit' | 'sign' | null = null;
  let refuse: { code: string; detail: string } | null = null;
  const lost = (what: typeof loseAnswerOf) => {
    if (loseAnswerOf !== what) return;
    loseAnswerOf = null;
    throw { code: 'NETWORK', detail: '无法连接到服务器' };
  };
  const transport: Transport = {
    async upload(file) {
      stored.uploads++;
      stored.files.add(file.sha256);
      lost('upload');
      return file.sha256;
    },
    async submit(input) {
      stored.submits++;
      if (refuse) throw refuse;
      const key = String(input.idempotencyKey);
      if (!stored.submissions.has(key)) stored.submissions.set(key, `submission-${stored.submissions.size + 1}`);
      lost('submit');
      return { id: stored.submissions.get(key)!, contentDigest: 'd'.repeat(64) };
    },
    async sign() {
      stored.forms++;
      lost('sign');
      return { id: 'form-1', pdfSha256: 'e'.repeat(64), documentPath: `/evidence/${'e'.repeat(64)}` };
    },
  };
  return {
    stored,
    transport,
    loseAnswerOf: (what: typeof loseAnswerOf) => (loseAnswerOf = what),
    refuse: (failure: typeof refuse) => (refuse = failure),
  };
}

beforeEach(() => {
  // A fresh browser profile each test.
  globalThis.indexedDB = new IDBFactory();
  forgetConnection();
});

describe("the phone's outbox (issue J)", () => {
  it(
    'R24: a submission is queued and its draft cleared in one step; it is sent file by file, then the results, ' +
      'then the form',
    async () => {
      const hub = fakeHub();
      await saveDraft({
        id: entry().visitId,
        subject: 'market-i0001',
        inspectedOn: '2026-03-04',
        results: {},
        files: {},
        signatures: null,
        updatedAt: '2026-03-04T01:00:00Z',
      });
      await queue(entry());
      expect(await draftOf('market-i0001', entry().visitId)).toBeUndefined();
      const saved: OutboxEntry[] = [];
      const after = await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, async (e) => {
        saved.push(e);
        await saveEntry(e);
      });
      expect(after).toMatchObject({
        state: 'SENT',
        sentFiles: ['a'.repeat(64), 'b'.repeat(64)],
        submissionId: 'submission-1',
        formId: 'form-1',
        attempts: 1,
        lastError: null,
      });
      // Each step kept as it was done: two files, the submission, the form, the end.
      expect(saved.map((e) => [e.sentFiles.length, Boolean(e.submissionId), Boolean(e.formId), e.state])).toEqual([
        [1, false, false, 'WAITING'],
        [2, false, false, 'WAITING'],
        [2, true, false, 'WAITING'],
        [2, true, true, 'WAITING'],
        [2, true, true, 'SENT'],
      ]);
      expect((await outbox('market-i0001'))[0]!.state).toBe('SENT');
    },
  );

  it(
    'R24: the network lost after the hub stored the submission: sent again with the same key, stored once; no ' +
      'file is sent twice',
    async () => {
      const hub = fakeHub();
      await queue(entry());
      hub.loseAnswerOf('submit');
      const first = await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry);
      expect(first).toMatchObject({
        state: 'WAITING',
        lastErrorCode: 'NETWORK',
        submissionId: null,
        sentFiles: ['a'.repeat(64), 'b'.repeat(64)],
      });
      const second = await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry);
      expect(second).toMatchObject({ state: 'SENT', submissionId: 'submission-1', attempts: 2 });
      expect([hub.stored.submits, hub.stored.submissions.size, hub.stored.uploads, hub.stored.forms]).toEqual([
        2, 1, 2, 1,
      ]);
    },
  );

  it(
    'a file whose answer was lost is sent again (stored once by its hash); a form whose answer was lost is ' +
      'asked again',
    async () => {
      const hub = fakeHub();
      await queue(entry());
      hub.loseAnswerOf('upload');
      expect((await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry)).sentFiles).toEqual([]);
      hub.loseAnswerOf('sign');
      expect((await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry)).state).toBe('WAITING');
      expect((await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry)).state).toBe('SENT');
      expect([hub.stored.uploads, hub.stored.files.size, hub.stored.forms, hub.stored.submissions.size]).toEqual([
        3, 2, 2, 1,
      ]);
    },
  );

  it(
    "the hub's refusal needs a person: the entry stays on the phone, REFUSED, with the hub's words; a passing " +
      'failure waits',
    async () => {
      const hub = fakeHub();
      await queue(entry());
      hub.refuse({ code: 'BAD_USER_INPUT', detail: 'results: the visit checks 4 items and 1 have no result' });
      const refused = await sendEntry((await outbox('market-i0001'))[0]!, hub.transport, saveEntry);
      expect(refused).toMatchObject({
        state: 'REFUSED',
        lastErrorCode: 'BAD_USER_INPUT',
        lastError: expect.stringMatching(/no result/),
      });
      // a refused entry is not sent again by itself
      expect(await sendWaiting(() => outbox('market-i0001'), hub.transport, saveEntry)).toBe(0);
      expect(await outbox('market-i0001')).toHaveLength(1);
      expect(['NETWORK', 'UNAVAILABLE', 'RATE_LIMITED', 'DOWNSTREAM_SERVICE_ERROR', 'HTTP_502'].every(isPassing)).toBe(
        true,
      );
      expect(['BAD_USER_INPUT', 'CONFLICT', 'FORBIDDEN', 'NOT_FOUND'].some(isPassing)).toBe(false);
    },
  );

  it(
    'sending stops at the first entry the network holds ' + 'back, and sends the rest in order when it returns',
    async () => {
      const hub = fakeHub();
      await queue(entry({ key: 'key-0001-aaaa', visitId: 'task-1/A', createdAt: '2026-03-04T01:00:00Z' }));
      await queue(entry({ key: 'key-0002-bbbb', visitId: 'task-1/B', createdAt: '2026-03-04T02:00:00Z' }));
      hub.loseAnswerOf('upload');
      expect(await sendWaiting(() => outbox('market-i0001'), hub.transport, saveEntry)).toBe(0);
      expect((await outbox('market-i0001')).map((e) => e.attempts)).toEqual([1, 0]);
      expect(await sendWaiting(() => outbox('market-i0001'), hub.transport, saveEntry)).toBe(2);
      expect((await outbox('market-i0001')).map((e) => e.state)).toEqual(['SENT', 'SENT']);
      // Another inspector on the same phone sees none of these.
      expect(await outbox('tax-i0001')).toEqual([]);
    },
  );

  it(
    'two inspectors on one phone: each keeps their own visits, drafts and files; a re-download never drops a ' +
      'visit with work on it',
    async () => {
      const visit = (
        subject: string,
        id: string,
        outcomes: KeptVisit['outcomes'] = { market: [{ code: 'NO_PROBLEM', label: '未发现问题', dishonesty: false }] },
      ) =>
        ({
          id,
          subject,
          task: {
            id: 'task-1',
            name: '任务',
            training: false,
            leadDepartment: 'market',
            departments: ['market'],
            windowStart: null,
            windowEnd: null,
          },
          taskOrder: 0,
          // The queue reads a kept visit's key only.
          visit: { key: id } as unknown as KeptVisit['visit'],
          outcomes,
          departmentNames: {},
          hubToday: '2026-03-04',
          keptAt: '2026-03-04T00:00:00Z',
        }) as KeptVisit;
      await keepVisits('market-i0001', [visit('market-i0001', 'task-1/A'), visit('market-i0001', 'task-1/B')]);
      await keepVisits('tax-i0001', [visit('tax-i0001', 'task-1/A')]);
      expect((await keptVisits('market-i0001')).map((v) => v.id).sort()).toEqual(['task-1/A', 'task-1/B']);
      await saveDraft({
        id: 'task-1/B',
        subject: 'market-i0001',
        inspectedOn: '2026-03-04',
        results: {},
        files: {},
        signatures: null,
        updatedAt: '2026-03-04T01:00:00Z',
      });
      expect(await draftOf('tax-i0001', 'task-1/B')).toBeUndefined();
      await keepFile(
        'market-i0001',
        { sha256: 'f'.repeat(64), kind: 'PHOTO', mediaType: 'image/jpeg', size: 3, name: 'a.jpg' },
        new Uint8Array([0xff, 0xd8, 0xff]).buffer,
      );
      expect(await fileBytes('tax-i0001', 'f'.repeat(64))).toBeUndefined();
      expect(new Uint8Array((await fileBytes('market-i0001', 'f'.repeat(64)))!)).toEqual(
        new Uint8Array([0xff, 0xd8, 0xff]),
      );
      // The hub no longer lists B (the inspector was replaced) and market's outcomes could not be read this time.
      await keepVisits('market-i0001', [visit('market-i0001', 'task-1/A', { market: { error: 'unreachable' } })]);
      const kept = await keptVisits('market-i0001');
      expect(kept.map((v) => v.id).sort()).toEqual(['task-1/A', 'task-1/B']); // B has a draft: kept
      expect(kept.find((v) => v.id === 'task-1/A')!.outcomes.market).toEqual([
        { code: 'NO_PROBLEM', label: '未发现问题', dishonesty: false },
      ]);
      expect((await keptVisits('tax-i0001')).map((v) => v.id)).toEqual(['task-1/A']);
    },
  );
});

describe('the day of a visit entered on the phone (issue J)', () => {
  it(
    "follows the hub's calendar across the turn of the year: " + 'kept on 31 December, checked offline on 2 January',
    () => {
      // Kept in the evening of 31 December (China time), opened on the morning of 2 January.
      expect(visitDay('2026-12-31', '2026-12-31T12:00:00.000Z', new Date('2027-01-02T01:30:00Z'))).toBe('2027-01-02');
      // The same China day: the hub's today as it was kept (an evening in UTC is the next China morning).
      expect(visitDay('2026-12-31', '2026-12-31T01:00:00.000Z', new Date('2026-12-31T15:59:00Z'))).toBe('2026-12-31');
      expect(visitDay('2026-12-31', '2026-12-31T01:00:00.000Z', new Date('2026-12-31T16:01:00Z'))).toBe('2027-01-01');
      // A training hub's clock moved to March: its own dates, moved by the days the phone saw pass.
      expect(visitDay('2026-03-04', '2026-12-06T02:00:00.000Z', new Date('2026-12-07T02:00:00Z'))).toBe('2026-03-05');
      // A phone whose clock went back never moves the day before the hub's.
      expect(visitDay('2027-01-02', '2027-01-02T02:00:00.000Z', new Date('2026-12-30T02:00:00Z'))).toBe('2027-01-02');
      expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    },
  );
});
