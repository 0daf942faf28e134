import { execFileSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import QRCode from 'qrcode';
import { AuditEventRow } from '../../subgraphs/joint/audit/entities';
import { EvidenceLinkRow, EvidenceRow } from '../../subgraphs/joint/evidence/entities';
import { OutboxRow, SubmissionRow } from '../../subgraphs/joint/visits/entities';
import { sha256Hex } from '../../subgraphs/joint/draw/canonical';
import { canonicalSubmissionContent } from '../../subgraphs/joint/visits/submission-content';
import { Role } from '../../kernel/identity';
import { describeWithHub, onlyError, type TestHub } from '../support/hub';
import {
  deliverEverything,
  drawAllInspectors,
  fourDepartmentPlanInput,
  publishedPlan,
  runTaskTo,
  testClock,
  WITNESS,
} from './fixtures';

const time = testClock('2026-03-02T02:00:00Z');
const DEPARTMENTS = ['market', 'tax', 'fire', 'environment'];
/**
 * A smaller cap for this file's hub than the default 10 MB, so the size test sends less; still more than one stored
 * part (1 MB).
 */
const MAX_EVIDENCE = 3 * 1024 * 1024;

/** A real 1×1 JPEG (a photo's bytes, as a phone's camera makes them, only smaller). */
const JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** A PNG "signature" (a QR code of the signer's name: any real PNG will do). */
const signaturePng = (who: string) => QRCode.toBuffer(`signature of ${who}`, { type: 'png', margin: 1, scale: 2 });

interface Member {
  department: string;
  personId: string;
  name: string;
  kind: string;
  status: string;
}
interface Visit {
  key: string;
  uscc: string | null;
  industryCode: string;
  team: Member[];
  checklist: Array<{ department: string; itemCode: string }>;
  inspectionCode: string | null;
  recordForms: Array<{
    id: string;
    version: number;
    current: boolean;
    pdfSha256: string;
    documentPath: string;
    acknowledgement: string;
  }>;
  notices: Array<{ id: string; visitOn: string; pdfSha256: string; documentPath: string }>;
}

async function visits(hub: TestHub, task: string): Promise<Visit[]> {
  const r = await hub.query<{ jointTask: { visits: Visit[] } }>(
    `{ jointTask(id: "${task}") { visits(first: 1000) { key uscc industryCode team { department personId name ` +
      `kind status } checklist { department itemCode } inspectionCode recordForms { id version current ` +
      `pdfSha256 documentPath acknowledgement } notices { id visitOn pdfSha256 documentPath } } } }`,
    { token: await hub.token(Role.AUDITOR) },
  );
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data!.jointTask.visits;
}

/** An HTTP request with its path exactly as given (no tidying of `..` or `%2e%2e`, as fetch does). */
function rawRequest(
  origin: string,
  method: string,
  pathAsSent: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { hostname, port, method, path: pathAsSent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Whether poppler's tools are here (npm test's pretest installs them: scripts/test-tools.ts). */
function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jc-paper-'));
  try {
    fs.writeFileSync(path.join(dir, 'paper.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'paper.pdf'), '-'], { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new Error('pdftotext is missing: apt-get install poppler-utils (npm test installs it).', {
        cause: error,
      });
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describeWithHub(
  'on site: evidence, a submission sent twice, the joint record form and the notice (issue J)',
  (hub) => {
    let task: string;
    let visit: Visit;
    let member: Member;
    let inspectorToken: string;
    const gateway = () => new URL(hub().gateway.url).origin;
    const jointOrigin = () => new URL(hub().joint.url).origin;
    const send = async (
      token: string | null,
      query: Record<string, string>,
      bytes: Buffer,
      options: { origin?: string; headers?: Record<string, string> } = {},
    ) => {
      const response = await fetch(`${options.origin ?? gateway()}/evidence?${new URLSearchParams(query)}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/octet-stream',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...options.headers,
        },
        body: new Uint8Array(bytes),
      });
      return {
        status: response.status,
        body: (await response.json()) as {
          sha256?: string;
          ref?: string;
          mediaType?: string;
          size?: number;
          errors?: Array<{ message: string; extensions: Record<string, unknown> }>;
        },
      };
    };
    const read = async (token: string | null, documentPath: string) => {
      const response = await fetch(`${gateway()}${documentPath}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      return {
        status: response.status,
        type: response.headers.get('content-type'),
        cache: response.headers.get('cache-control'),
        bytes: Buffer.from(await response.arrayBuffer()),
      };
    };
    const forVisit = (kind: string) => ({ taskId: task, targetKey: visit.key, kind });
    const resultsOf = (v: Visit, evidence: string[] = []) =>
      v.checklist.map((c, i) => ({
        department: c.department,
        itemCode: c.itemCode,
        outcome: 'NO_PROBLEM',
        method: 'ON_SITE',
        notes: `现场检查第${i + 1}项`,
        confidentialNotes: null,
        evidence: i === 0 ? evidence : [],
        measures: i === 0 ? ['ON_SITE_RECORD'] : [],
      }));
    const submit = (input: Record<string, unknown>, token = inspectorToken) =>
      hub().query<{
        jointSubmitVisitResults: { id: string; contentDigest: string; deliveries: Array<{ department: string }> };
      }>(
        'mutation($input: VisitSubmissionInput!) { jointSubmitVisitResults(input: $input) { id contentDigest ' +
          'deliveries { department } } }',
        { variables: { input }, token },
      );
    const audit = async (action: string) =>
      (
        await hub().joint.database.dataSource.manager.find(AuditEventRow, {
          where: { action, entityId: task },
          order: { seq: 'ASC' },
        })
      ).map((e) => e.details as Record<string, unknown>);

    beforeAll(async () => {
      // Four departments: a manufacturer (C) is checked by all four in one visit (R22).
      const planId = await publishedPlan(hub(), fourDepartmentPlanInput());
      task = await runTaskTo(hub(), time, planId, 'LOCKED');
      await drawAllInspectors(hub(), task, DEPARTMENTS);
      visit = (await visits(hub(), task)).find(
        (v) => new Set(v.checklist.map((c) => c.department)).size === 4 && v.uscc !== null,
      )!;
      expect(visit).toBeDefined();
      member = visit.team.find((m) => m.department === 'market' && m.kind === 'INSPECTOR' && m.status === 'ACTIVE')!;
      inspectorToken = await hub().token(Role.INSPECTOR, 'market', member.personId);
    });

    it(
      "R30: evidence is stored by its SHA-256 for a member of the visit's team, typed by its bytes and capped " +
        'in size, at the gateway and at the joint service alike',
      async () => {
        const stored = await send(inspectorToken, forVisit('PHOTO'), JPEG);
        expect(stored).toEqual({
          status: 201,
          body: {
            sha256: sha(JPEG),
            ref: `sha256:${sha(JPEG)}`,
            mediaType: 'image/jpeg',
            size: JPEG.length,
            kind: 'PHOTO',
          },
        });
        // Sent again (the phone lost the answer): one file, one link, one audit entry.
        expect(
          (await send(inspectorToken, forVisit('PHOTO'), JPEG, { headers: { 'x-content-sha256': sha(JPEG) } })).body
            .sha256,
        ).toBe(sha(JPEG));
        const m = hub().joint.database.dataSource.manager;
        expect(await m.countBy(EvidenceRow, { sha256: sha(JPEG) })).toBe(1);
        expect(await m.countBy(EvidenceLinkRow, { sha256: sha(JPEG) })).toBe(1);
        expect((await audit('evidence.stored')).filter((d) => d.sha256 === sha(JPEG))).toHaveLength(1);

        // The type is the bytes', whatever the name or Content-Type said.
        const text = await send(
          inspectorToken,
          forVisit('PHOTO'),
          Buffer.from('not a photo at all, a text file named photo.jpg'),
          { headers: { 'content-type': 'image/jpeg' } },
        );
        expect(text.status).toBe(400);
        expect(text.body.errors![0]!.extensions.code).toBe('BAD_USER_INPUT');
        expect(text.body.errors![0]!.message).toMatch(/image\/jpeg, image\/png/);
        // a signature is a PNG drawn on screen
        expect((await send(inspectorToken, forVisit('SIGNATURE'), JPEG)).status).toBe(400);
        // Cut short on the way: the hash the phone named does not match what arrived.
        expect(
          (
            await send(inspectorToken, forVisit('PHOTO'), JPEG.subarray(0, 40), {
              headers: { 'x-content-sha256': sha(JPEG) },
            })
          ).body.errors![0]!.message,
        ).toMatch(/changed or cut short/);
        // Over the cap: refused by the gateway before anything is sent on, and by the joint service called directly.
        const big = Buffer.concat([JPEG, Buffer.alloc(MAX_EVIDENCE)]);
        const tooBig = await send(inspectorToken, forVisit('PHOTO'), big);
        expect([
          tooBig.status,
          tooBig.body.errors![0]!.extensions.code,
          tooBig.body.errors![0]!.extensions.maxBytes,
        ]).toEqual([413, 'BAD_USER_INPUT', MAX_EVIDENCE]);
        const jointToken = await hub().tokenFor('joint', Role.INSPECTOR, 'market', member.personId);
        const direct = await send(jointToken, forVisit('PHOTO'), big, { origin: jointOrigin() });
        expect([direct.status, direct.body.errors![0]!.extensions.code]).toEqual([413, 'BAD_USER_INPUT']);

        // R30: only the visit's team sends; the public not at all; the joint service takes only tokens meant for it
        // (H2).
        const outsider = await send(
          await hub().token(Role.INSPECTOR, 'market', 'market-i9999'),
          forVisit('PHOTO'),
          JPEG,
        );
        expect([outsider.status, outsider.body.errors![0]!.extensions.code]).toEqual([403, 'FORBIDDEN']);
        expect((await send(null, forVisit('PHOTO'), JPEG)).status).toBe(401);
        expect((await send(inspectorToken, forVisit('PHOTO'), JPEG, { origin: jointOrigin() })).status).toBe(401);
        // stored for this visit already
        expect((await send(jointToken, forVisit('PHOTO'), JPEG, { origin: jointOrigin() })).status).toBe(200);
        // A photo of several megabytes is stored in parts and read back whole (MySQL's max_allowed_packet holds each
        // part, not the file).
        const large = Buffer.concat([JPEG, Buffer.alloc(MAX_EVIDENCE - JPEG.length - 1000, 7)]);
        expect((await send(inspectorToken, forVisit('PHOTO'), large)).status).toBe(201);
        const back = await fetch(`${gateway()}/evidence/${sha(large)}`, {
          headers: { authorization: `Bearer ${inspectorToken}` },
        });
        expect(sha(Buffer.from(await back.arrayBuffer()))).toBe(sha(large));
        // The same bytes are not both a photo and a signature of the visit.
        expect(
          (await send(inspectorToken, forVisit('SIGNATURE'), await signaturePng('photo or signature'))).status,
        ).toBe(201);
        const twice = await send(inspectorToken, forVisit('PHOTO'), await signaturePng('photo or signature'));
        expect([twice.status, twice.body.errors![0]!.extensions.code]).toEqual([409, 'CONFLICT']);
        // Only the two routes: a path that climbs out of /evidence reaches nothing of the joint service.
        // (Sent as written, as a client that does not tidy its paths would: fetch would resolve the dots itself.)
        for (const sneaky of [
          '/evidence/%2e%2e/graphql',
          '/evidence/../graphql',
          '/evidence/x/%2E%2E/%2e%2e/health',
          `/evidence/%2e%2e/evidence/${sha(JPEG)}`,
        ]) {
          const answer = await rawRequest(
            gateway(),
            'POST',
            sneaky,
            { authorization: `Bearer ${inspectorToken}`, 'content-type': 'application/json' },
            JSON.stringify({ query: '{ __typename }' }),
          );
          expect([sneaky, answer.status, (JSON.parse(answer.body) as { data?: unknown }).data]).toEqual([
            sneaky,
            404,
            undefined,
          ]);
        }
        // the hub's own papers are not sent by phones
        expect((await send(inspectorToken, { ...forVisit('PHOTO'), kind: 'FORM' }, JPEG)).status).toBe(400);
      },
    );

    it(
      "R30: evidence is read by the visit's team and the departments taking part, never by the public or " +
        'another department',
      async () => {
        const path = `/evidence/${sha(JPEG)}`;
        const own = await read(inspectorToken, path);
        expect([own.status, own.type, own.cache, sha(own.bytes)]).toEqual([
          200,
          'image/jpeg',
          'private, no-store',
          sha(JPEG),
        ]);
        expect((await read(await hub().token(Role.COORDINATOR, 'tax'), path)).status).toBe(200);
        expect((await read(await hub().token(Role.DEPT_ADMIN, 'environment'), path)).status).toBe(200);
        // as if it did not exist
        expect((await read(await hub().token(Role.DEPT_ADMIN, 'housing'), path)).status).toBe(404);
        expect((await read(await hub().token(Role.INSPECTOR, 'market', 'market-i9999'), path)).status).toBe(404);
        expect((await read(null, path)).status).toBe(401);
        expect((await read(inspectorToken, '/evidence/not-a-hash')).status).toBe(404);
      },
    );

    it(
      'R24: a submission sent again with its idempotency key is stored once, and its evidence must be on the ' +
        'hub first',
      async () => {
        const key = randomUUID();
        const unknown = `sha256:${'ab'.repeat(32)}`;
        const refused = onlyError(
          await submit({
            taskId: task,
            targetKey: visit.key,
            inspectedOn: '2026-03-04',
            results: resultsOf(visit, [unknown]),
            idempotencyKey: key,
          }),
        );
        expect(refused.extensions).toMatchObject({ code: 'BAD_USER_INPUT', rule: 'R24' });
        expect(refused.message).toMatch(/has not been sent/);
        const input = {
          taskId: task,
          targetKey: visit.key,
          inspectedOn: '2026-03-04',
          results: resultsOf(visit, [`sha256:${sha(JPEG)}`]),
          idempotencyKey: key,
        };
        // Two sends at once (a phone retrying while the first is still on its way), then a third later.
        const [first, second] = await Promise.all([submit(input), submit(input)]);
        expect(first.errors).toBeUndefined();
        expect(second.errors).toBeUndefined();
        const again = await submit(input);
        expect(new Set([first, second, again].map((r) => r.data!.jointSubmitVisitResults.id)).size).toBe(1);
        const id = first.data!.jointSubmitVisitResults.id;
        // The digest is the phone's too: the canonical content's SHA-256 (submission-content.ts).
        expect(first.data!.jointSubmitVisitResults.contentDigest).toBe(
          sha256Hex(
            canonicalSubmissionContent({
              ...input,
              results: input.results.map((r) => ({
                ...r,
                penaltyUnderGeneralProcedure: false,
                statutoryCheckFailed: false,
              })),
            }),
          ),
        );
        const m = hub().joint.database.dataSource.manager;
        expect(await m.countBy(SubmissionRow, { taskId: task, targetKey: visit.key })).toBe(1);
        expect((await m.findBy(OutboxRow, { submissionId: id })).map((o) => o.department).sort()).toEqual(
          [...DEPARTMENTS].sort(),
        );
        expect((await audit('visit.submitted')).filter((d) => d.targetKey === visit.key)).toHaveLength(1);
        // Other results under the same key, or the same visit under another key: refused, nothing stored.
        const changed = {
          ...input,
          results: input.results.map((r, i) => (i === 1 ? { ...r, notes: '改过的记录' } : r)),
        };
        expect(onlyError(await submit(changed)).extensions).toMatchObject({
          code: 'CONFLICT',
          rule: 'R24',
          field: 'idempotencyKey',
        });
        expect(onlyError(await submit({ ...input, idempotencyKey: randomUUID() })).code).toBe('CONFLICT');
        expect(onlyError(await submit({ ...input, idempotencyKey: 'short' })).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'idempotencyKey',
        });

        // Each department's share reaches it once, with the evidence's reference, which its staff may read.
        await deliverEverything(hub().joint.deliverer);
        for (const department of DEPARTMENTS) {
          const r = await hub().query<
            Record<string, { results: Array<{ targetKey: string; itemCode: string; evidence: string[] }> }>
          >(`{ ${department} { results(taskId: "${task}", first: 1000) { targetKey itemCode evidence } } }`, {
            token: await hub().token(Role.AUDITOR),
          });
          const mine = r.data![department]!.results.filter((x) => x.targetKey === visit.key);
          expect([department, mine.map((x) => x.itemCode).sort()]).toEqual([
            department,
            visit.checklist
              .filter((c) => c.department === department)
              .map((c) => c.itemCode)
              .sort(),
          ]);
        }
        const first0 = visit.checklist[0]!;
        const withPhoto = await hub().query<
          Record<string, { results: Array<{ targetKey: string; evidence: string[] }> }>
        >(`{ ${first0.department} { results(taskId: "${task}", first: 1000) { targetKey evidence } } }`, {
          token: await hub().token(Role.AUDITOR),
        });
        expect(withPhoto.data![first0.department]!.results.find((x) => x.targetKey === visit.key)!.evidence).toEqual([
          `sha256:${sha(JPEG)}`,
        ]);
      },
    );

    it(
      'R29: the joint record form is made of the submitted results and the signatures drawn on site, and ' +
        'archived with its SHA-256 in the audit trail',
      async () => {
        const submission = (
          await hub().joint.database.dataSource.manager.findOneByOrFail(SubmissionRow, {
            taskId: task,
            targetKey: visit.key,
          })
        ).contentDigest!;
        const team = visit.team.filter((m) => m.status === 'ACTIVE');
        const signatures = await Promise.all(
          team.map(async (m) => ({
            personId: m.personId,
            department: m.department,
            signature: (await send(inspectorToken, forVisit('SIGNATURE'), await signaturePng(m.name))).body.ref!,
          })),
        );
        const business = (await send(inspectorToken, forVisit('SIGNATURE'), await signaturePng('法定代表人'))).body
          .ref!;
        const sign = (input: Record<string, unknown>, token = inspectorToken) =>
          hub().query<{
            jointSignRecordForm: {
              id: string;
              version: number;
              current: boolean;
              pdfSha256: string;
              documentPath: string;
              contentDigest: string;
            };
          }>(
            'mutation($input: RecordFormInput!) { jointSignRecordForm(input: $input) { id version current ' +
              'pdfSha256 documentPath contentDigest } }',
            { variables: { input }, token },
          );
        const input = {
          taskId: task,
          targetKey: visit.key,
          contentDigest: submission,
          acknowledgement: 'SIGNED',
          businessSignerName: '王经理',
          businessSignature: business,
          teamSignatures: signatures,
        };

        // Signed over other results (one changed after signing): refused; a new form must be signed (R29).
        expect(onlyError(await sign({ ...input, contentDigest: 'c'.repeat(64) })).extensions).toMatchObject({
          code: 'CONFLICT',
          rule: 'R29',
        });
        // The whole team signs; a signature is an image sent for this visit.
        expect(onlyError(await sign({ ...input, teamSignatures: signatures.slice(1) })).message).toMatch(
          /whole team signs/,
        );
        expect(onlyError(await sign({ ...input, businessSignature: `sha256:${sha(JPEG)}` })).message).toMatch(
          /as a SIGNATURE/,
        );
        // One drawing does not sign for two people.
        expect(onlyError(await sign({ ...input, businessSignature: signatures[0]!.signature })).message).toMatch(
          /same image/,
        );
        expect(onlyError(await sign(input, await hub().token(Role.COORDINATOR, 'market'))).code).toBe('FORBIDDEN');

        const made = await sign(input);
        expect(made.errors).toBeUndefined();
        const form = made.data!.jointSignRecordForm;
        expect(form).toMatchObject({
          version: 1,
          current: true,
          contentDigest: submission,
          documentPath: `/evidence/${form.pdfSha256}`,
        });
        const pdf = await read(inspectorToken, form.documentPath);
        expect([pdf.status, pdf.type, sha(pdf.bytes)]).toEqual([200, 'application/pdf', form.pdfSha256]);
        // R29: the archived form's hash is in the trail, with the digest of what was signed.
        expect((await audit('record-form.archived')).filter((d) => d.targetKey === visit.key)).toEqual([
          expect.objectContaining({
            version: 1,
            pdfSha256: form.pdfSha256,
            contentDigest: submission,
            acknowledgement: 'SIGNED',
          }),
        ]);
        // Sent again (the phone lost the answer): the same form.
        expect((await sign(input)).data!.jointSignRecordForm.id).toBe(form.id);
        // What the paper says: the title, the target by its registered name, every department, the code (R32).
        const after = (await visits(hub(), task)).find((v) => v.key === visit.key)!;
        expect(after.inspectionCode).toMatch(/^JC-/);
        const text = pdfText(pdf.bytes).replace(/\s+/g, '');
        const entity = await hub().query<{ marketEntity: { name: string } }>(
          `{ marketEntity(uscc: "${visit.uscc}") { name } }`,
        );
        for (const words of [
          '部门联合抽查情况记录表',
          entity.data!.marketEntity.name,
          '市场监督管理局',
          '王经理',
          after.inspectionCode!,
        ])
          expect([words, text.includes(words.replace(/\s+/g, ''))]).toEqual([words, true]);
        // The tax department's coordinator reads the form too (its share is on it); another department does not.
        expect((await read(await hub().token(Role.COORDINATOR, 'tax'), form.documentPath)).status).toBe(200);
        expect((await read(await hub().token(Role.COORDINATOR, 'housing'), form.documentPath)).status).toBe(404);

        // Signed again, the business refusing this time (R26's refusal to sign is noted by the inspectors): version 2
        // supersedes 1.
        const refused = await sign({
          ...input,
          acknowledgement: 'REFUSED',
          businessSignerName: null,
          businessSignature: null,
          refusalNote: '企业负责人拒绝在汇总表上签字，检查人员现场说明。',
        });
        expect(refused.data!.jointSignRecordForm).toMatchObject({ version: 2, current: true });
        expect(
          (await visits(hub(), task))
            .find((v) => v.key === visit.key)!
            .recordForms.map((f) => [f.version, f.current, f.acknowledgement]),
        ).toEqual([
          [1, false, 'SIGNED'],
          [2, true, 'REFUSED'],
        ]);
        expect((await audit('record-form.archived')).find((d) => d.version === 2)).toMatchObject({
          supersedes: form.pdfSha256,
        });
        expect(pdfText((await read(inspectorToken, refused.data!.jointSignRecordForm.documentPath)).bytes)).toMatch(
          /拒绝/,
        );
      },
    );

    it('a form is made only once the results are submitted', async () => {
      const other = (await visits(hub(), task)).find(
        (v) => v.key !== visit.key && v.team.some((m) => m.personId === member.personId && m.department === 'market'),
      );
      const somewhere = other ?? (await visits(hub(), task)).find((v) => v.key !== visit.key)!;
      const who = somewhere.team.find((m) => m.department === 'market' && m.kind === 'INSPECTOR')!;
      const r = await hub().query('mutation($input: RecordFormInput!) { jointSignRecordForm(input: $input) { id } }', {
        variables: {
          input: {
            taskId: task,
            targetKey: somewhere.key,
            contentDigest: 'a'.repeat(64),
            acknowledgement: 'REFUSED',
            refusalNote: '拒绝签字',
            teamSignatures: [],
          },
        },
        token: await hub().token(Role.INSPECTOR, 'market', who.personId),
      });
      expect(onlyError(r).extensions).toMatchObject({ code: 'CONFLICT', rule: 'R24' });
    });

    it(
      "the notice (部门联合检查通知书) is made by the lead's coordinator for an announced visit, and never for a task " +
        'not to be announced',
      async () => {
        const notice = (input: Record<string, unknown>, token: string) =>
          hub().query<{ jointMakeNotice: { id: string; visitOn: string; pdfSha256: string; documentPath: string } }>(
            'mutation($input: NoticeInput!) { jointMakeNotice(input: $input) { id visitOn pdfSha256 documentPath } }',
            { variables: { input }, token },
          );
        const lead = await hub().token(Role.COORDINATOR, 'market');
        const input = {
          taskId: task,
          targetKey: visit.key,
          visitOn: '2026-03-10',
          contact: '张三 021-12345678',
          requirements: '请准备营业执照、消防验收文件和排污许可证。',
        };
        expect(onlyError(await notice(input, await hub().token(Role.COORDINATOR, 'tax'))).code).toBe('FORBIDDEN');
        expect(onlyError(await notice({ ...input, visitOn: '2026-03-01' }, lead)).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'visitOn',
        });
        expect(onlyError(await notice({ ...input, visitOn: '2026-12-31' }, lead)).extensions).toMatchObject({
          code: 'BAD_USER_INPUT',
          field: 'visitOn',
        }); // after the plan's window
        const made = await notice(input, lead);
        expect(made.errors).toBeUndefined();
        expect((await notice(input, lead)).data!.jointMakeNotice.id).toBe(made.data!.jointMakeNotice.id);
        const pdf = await read(lead, made.data!.jointMakeNotice.documentPath);
        expect(sha(pdf.bytes)).toBe(made.data!.jointMakeNotice.pdfSha256);
        const text = pdfText(pdf.bytes).replace(/\s+/g, '');
        for (const words of ['部门联合检查通知书', '2026年3月10日', '张三'])
          expect([words, text.includes(words)]).toEqual([words, true]);
        expect((await audit('notice.issued')).map((d) => d.pdfSha256)).toEqual([made.data!.jointMakeNotice.pdfSha256]);
        expect((await visits(hub(), task)).find((v) => v.key === visit.key)!.notices.map((n) => n.visitOn)).toEqual([
          '2026-03-10',
        ]);

        // A task created not to be announced: no notice, whatever its state.
        const hidden = await hub().query<{ jointCreateTask: { id: string; unannounced: boolean } }>(
          'mutation($input: TaskInput!) { jointCreateTask(input: $input) { id unannounced } }',
          {
            variables: {
              input: {
                planId: (
                  await hub().joint.database.dataSource.query('SELECT plan_id FROM task WHERE id = ?', [task])
                )[0].plan_id,
                name: '不予告知的联合抽查',
                ...WITNESS,
                witnessAvailableOn: '2026-03-11',
                unannounced: true,
              },
            },
            token: lead,
          },
        );
        expect(hidden.data!.jointCreateTask.unannounced).toBe(true);
        expect(onlyError(await notice({ ...input, taskId: hidden.data!.jointCreateTask.id }, lead)).code).toBe(
          'CONFLICT',
        );
      },
    );
  },
  400,
  time.clock,
  { env: { JOINTCHECK_MAX_EVIDENCE_BYTES: String(MAX_EVIDENCE) } },
);
