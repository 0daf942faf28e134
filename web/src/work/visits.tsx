import { useCallback, useEffect, useMemo, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso';
import { HubError, required, run } from '../api/client';
import { loadDepartments, loadDictionaries } from '../api/departments';
import { followPages } from '../api/pages';
import type { SessionIdentity } from '../api/session';
import { useAsync } from '../components/async';
import { ErrorNotice } from '../components/async';
import { TrainingMark } from '../components/training';
import { chinaDateTime } from '../format';
import { DELIVERY_STATUS, label, MEMBER_KIND, METHOD, VISIT_MEASURE } from '../labels';
import { ForRoles, RuleNote, SignedIn } from './common';
import { useSession } from '../app';
import { visitDay } from './onsite/day';
import type { VisitMeasure } from '../api/generated';
import { contentDigest, fileSha256 } from './onsite/digest';
import { sendWaiting } from './onsite/queue';
import { SignatureField } from './onsite/signature';
import {
  draftedVisits,
  draftOf,
  keepFile,
  keepVisits,
  keptVisit,
  keptVisits,
  outbox,
  outboxOf,
  queue,
  saveDraft,
  saveEntry,
  unqueue,
  visitId,
  type Draft,
  type DraftResult,
  type DraftSignatures,
  type KeptFile,
  type KeptVisit,
  type OutboxEntry,
  type Visit,
} from './onsite/store';
import { hubTransport, readDocument } from './onsite/transport';
import { problemText } from './teams';

/*
 * The inspector on site (issue J), on a phone, with or without a network:
 * - /work/visits: the day's visits kept on the phone ("下载到手机" while online), and what waits to be sent;
 * - /work/visits/:taskId/:target: one visit: its target, team and combined checklist by department
 *   (R22), the results entered item by item (kept at each change), unreachable or refused in one step
 *   (R26), a lead handed to another department (R27), photos, then the signatures (the business's
 *   or the inspectors' note of its refusal, and the whole team's) over the results' digest (R29),
 *   and the submission put in the phone's outbox with its idempotency key (R24), sent when the
 *   network is there. The service worker (vite-plugin-pwa) keeps the page itself on the phone.
 */

/** Whether the browser says it is online, kept up to date. */
function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    window.addEventListener('online', on);
    window.addEventListener('offline', off);
    return () => {
      window.removeEventListener('online', on);
      window.removeEventListener('offline', off);
    };
  }, []);
  return online;
}

/**
 * The inspector's outbox, and its sending: at once when the page opens online, whenever the
 * network comes back, every 20 s while something waits, and on demand.
 */
function useOutbox(subject: string, online: boolean, signedIn = true) {
  const [entries, setEntries] = useState<OutboxEntry[]>([]);
  const [sending, setSending] = useState(false);
  const refresh = useCallback(async () => setEntries(await outbox(subject)), [subject]);
  const send = useCallback(async () => {
    setSending(true);
    try {
      await sendWaiting(
        () => outbox(subject),
        hubTransport,
        async (e) => {
          await saveEntry(e);
          await refresh();
        },
      );
    } finally {
      setSending(false);
      await refresh();
    }
  }, [subject, refresh]);
  useEffect(() => void refresh(), [refresh]);
  const waiting = entries.filter((e) => e.state === 'WAITING').length;
  useEffect(() => {
    // Sending needs the network and a sign-in (the hub takes only a signed-in team member's).
    if (!online || waiting === 0 || !signedIn) return;
    void send();
    const timer = setInterval(() => void send(), 20_000);
    return () => clearInterval(timer);
  }, [online, waiting > 0, send]);
  return { entries, sending, send, refresh };
}

function NetworkBar({ online }: { online: boolean }) {
  return (
    <p
      class={`network ${online ? 'online' : 'offline'}`}
      data-testid="network"
      data-online={String(online)}
      role="status"
    >
      {online ? '在线：结果提交后立即发送' : '离线：可继续检查和填写，结果保存在手机上，联网后自动发送'}
    </p>
  );
}

/**
 * Reads the inspector's visits of every locked task from the hub, with what the form needs offline, and keeps them on
 * the phone.
 */
async function keepForTheDay(session: SessionIdentity): Promise<number> {
  const tasks = (await run('InspectorTasks')).data!.jointInspectorTasks.filter((t) => t.status === 'LOCKED');
  const hubToday = (await run('HubMode')).data!.jointTrainingClock.today;
  const departments = await loadDepartments();
  const kept: KeptVisit[] = [];
  for (const [taskOrder, t] of tasks.entries()) {
    const visitsOf = async (after?: string) => {
      const answer = await run('InspectorVisits', { taskId: t.id, after });
      const task = required(answer, answer.data?.jointTask, `任务 ${t.id}`);
      return { task, page: required(answer, task.visitPage, '检查对象') };
    };
    const first = await visitsOf();
    const visits = await followPages(first.page, async (after) => (await visitsOf(after)).page);
    const codes = first.task.plan?.departments ?? [];
    const dictionaries = await loadDictionaries(codes);
    const outcomes = Object.fromEntries(
      codes.map((d) => {
        const dictionary = dictionaries.get(d);
        return [
          d,
          !dictionary || dictionary instanceof HubError
            ? { error: dictionary instanceof HubError ? dictionary.detail : '未能读取' }
            : dictionary.current.map((o) => ({ code: o.code, label: o.label, dishonesty: o.dishonesty })),
        ];
      }),
    );
    const task = {
      id: t.id,
      name: t.name,
      training: t.training,
      leadDepartment: t.leadDepartment,
      departments: codes,
      windowStart: t.plan?.windowStart ?? null,
      windowEnd: t.plan?.windowEnd ?? null,
    };
    for (const visit of visits) {
      kept.push({
        id: visitId(t.id, visit.key),
        subject: session.subject,
        task,
        taskOrder,
        visit,
        outcomes,
        departmentNames: Object.fromEntries(departments.map((d) => [d.code, d.name ?? d.code])),
        hubToday,
        keptAt: new Date().toISOString(),
      });
    }
  }
  await keepVisits(session.subject, kept);
  return kept.length;
}

const targetName = (k: KeptVisit) => k.visit.entity?.name ?? k.visit.key;
const deptName = (k: KeptVisit, code: string) => k.departmentNames[code] ?? code;
/** The team as it stands, its leader first (R18: the lead department's inspector leads). */
const activeTeam = (v: Visit) =>
  v.team.filter((m) => m.status === 'ACTIVE').sort((a, b) => Number(b.leader) - Number(a.leader));
const itemKey = (c: { department: string; code: string }) => `${c.department}:${c.code}`;
/** The lead department's items first, then the others' in the plan's order (R22). */
const departmentsOf = (k: KeptVisit) =>
  [k.task.leadDepartment, ...k.task.departments.filter((d) => d !== k.task.leadDepartment)].filter((d) =>
    k.visit.checklist.some((c) => c.department === d),
  );

const STATE_LABEL: Record<string, string> = { WAITING: '待发送', SENT: '已发送', REFUSED: '被退回，需处理' };

/**
 * What waits to be sent, and what was: each visit's submission on the phone, with its state and the hub's last word.
 */
function OutboxList({
  entries,
  sending,
  online,
  send,
}: {
  entries: OutboxEntry[];
  sending: boolean;
  online: boolean;
  send: () => Promise<void>;
}) {
  const waiting = entries.filter((e) => e.state === 'WAITING');
  return (
    <section class="work-panel outbox" data-testid="outbox" data-waiting={waiting.length}>
      <h2>
        待发送{' '}
        <span class="count" data-testid="outbox-waiting">
          {waiting.length}
        </span>
      </h2>
      {entries.length === 0 ? <p class="empty">没有待发送的检查结果。</p> : null}
      <ul>
        {entries.map((e) => (
          <li key={e.key} data-testid="outbox-entry" data-state={e.state} data-visit={e.visitId}>
            <strong>{e.targetName}</strong> <span class={`badge ${e.state.toLowerCase()}`}>{STATE_LABEL[e.state]}</span>
            <span class="meta">
              {e.taskName} · 保存于 {chinaDateTime(e.createdAt)} · 文件 {e.sentFiles.length}/{e.files.length} · 结果
              {e.submissionId ? '已保存' : '未发送'} · 记录表{e.formId ? '已生成' : '未生成'}
              {e.attempts ? ` · 已尝试 ${e.attempts} 次` : ''}
            </span>
            {e.lastError && e.state !== 'SENT' ? (
              <span
                class={e.state === 'REFUSED' ? 'notice error' : 'meta'}
                data-testid="outbox-error"
                data-code={e.lastErrorCode ?? ''}
              >
                {e.lastErrorCode === 'NETWORK' ? '等待网络：' : `平台答复（${e.lastErrorCode}）：`}
                {e.lastError}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      {waiting.length ? (
        <button type="button" data-testid="outbox-send" disabled={sending || !online} onClick={() => void send()}>
          {sending ? '正在发送…' : online ? '立即发送' : '无网络，联网后自动发送'}
        </button>
      ) : null}
      <RuleNote rule="R24">每份结果带有唯一的提交编号：网络中断后重发，平台只保存一次。</RuleNote>
    </section>
  );
}

/** /work/visits: the day's visits on the phone, and the outbox. */
function InspectorDay({ session }: { session: SessionIdentity }) {
  const online = useOnline();
  const box = useOutbox(session.subject, online, session.token !== '');
  const [reload, setReload] = useState(0);
  const [syncing, setSyncing] = useState<{ busy: boolean; error: unknown; done: string | null }>({
    busy: false,
    error: null,
    done: null,
  });
  const state = useAsync(() => keptVisits(session.subject), [session.subject, reload]);
  const drafts = useAsync(() => draftedVisits(session.subject), [state.status, reload]);
  const sync = async () => {
    setSyncing({ busy: true, error: null, done: null });
    try {
      const n = await keepForTheDay(session);
      setSyncing({ busy: false, error: null, done: `已下载 ${n} 个检查对象到手机，可离线使用。` });
      setReload((r) => r + 1);
    } catch (error) {
      setSyncing({ busy: false, error, done: null });
    }
  };
  // Nothing kept yet and online: keep the day's visits at once.
  useEffect(() => {
    if (
      state.status === 'done' &&
      state.value.length === 0 &&
      online &&
      session.token &&
      !syncing.busy &&
      !syncing.error &&
      !syncing.done
    )
      void sync();
  }, [state.status]);
  // By task (as the hub listed them), then in the drawn order (R15: batches, then positions).
  const kept = (state.status === 'done' ? state.value : [])
    .slice()
    .sort((a, b) =>
      a.task.id === b.task.id
        ? a.visit.batch - b.visit.batch || a.visit.position - b.visit.position
        : a.taskOrder - b.taskOrder,
    );
  const stateOf = (k: KeptVisit) => {
    const entry = box.entries.find((e) => e.visitId === k.id);
    if (entry) return STATE_LABEL[entry.state]!;
    if (k.visit.submission) return '已提交';
    return drafts.status === 'done' && drafts.value.has(k.id) ? '填写中' : '待检查';
  };
  return (
    <section class="onsite">
      <p class="crumbs">
        <a href="/work">业务办理</a> › 今日检查
      </p>
      <h1>今日检查</h1>
      <NetworkBar online={online} />
      <div class="row wrap">
        <button
          type="button"
          data-testid="keep-visits"
          disabled={!online || !session.token || syncing.busy}
          onClick={() => void sync()}
        >
          {syncing.busy ? '正在下载…' : '下载检查任务到手机'}
        </button>
        {kept.length ? (
          <span class="meta">
            手机上保存了 {kept.length} 个检查对象（{chinaDateTime(kept[0]!.keptAt)} 下载）
          </span>
        ) : null}
      </div>
      {syncing.error ? <ErrorNotice error={syncing.error} title="未能下载检查任务" /> : null}
      {syncing.done ? (
        <p class="notice ok" data-testid="kept">
          {syncing.done}
        </p>
      ) : null}
      <OutboxList entries={box.entries} sending={box.sending} online={online} send={box.send} />
      <RuleNote rule="R22">
        同一检查对象由各参与部门的人员组成一个检查组，一次上门完成所有部门的检查事项（“进一次门、查多项事”）。
      </RuleNote>
      {state.status === 'done' && kept.length === 0 ? (
        <p class="empty" data-testid="no-visits">
          手机上还没有检查任务：联网后点击“下载检查任务到手机”。检查组在任务锁定并抽取检查人员后形成。
        </p>
      ) : null}
      <ul class="visits" data-testid="inspector-visits">
        {kept.map((k) => (
          <li key={k.id} data-testid="inspector-visit" data-key={k.visit.key} data-task={k.task.id}>
            <a href={`/work/visits/${k.task.id}/${encodeURIComponent(k.visit.key)}`} data-testid="visit-open">
              {targetName(k)}
            </a>
            <span class="badge" data-testid="visit-state">
              {stateOf(k)}
            </span>
            <span class="meta">{k.visit.entity?.registeredAddress ?? k.visit.key}</span>
            <span class="meta">
              {k.task.name} <TrainingMark training={k.task.training} /> · 检查组：
              {activeTeam(k.visit)
                .map((m) => `${m.name}（${deptName(k, m.department)}）`)
                .join('、')}
            </span>
            <span class="meta">
              {departmentsOf(k).length} 个部门的 {k.visit.checklist.length} 个事项
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * What the hub takes as evidence from a phone (subgraphs/joint/visits/evidence.ts: the type is read from the bytes
 * there).
 */
const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'image/heic', 'image/heif'];
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * Reads a photo or document the inspector took: its bytes, hash and type; a large photo is scaled down (the hub keeps
 * at most 10 MB).
 */
async function keptFileOf(file: File, kind: KeptFile['kind']): Promise<{ meta: KeptFile; bytes: ArrayBuffer }> {
  if (kind === 'PHOTO' && file.type && !PHOTO_TYPES.includes(file.type))
    throw new Error(`照片须为 JPEG、PNG、WebP 或 HEIC 格式（此文件为 ${file.type}）。`);
  let bytes = await file.arrayBuffer();
  let mediaType = file.type || 'application/octet-stream';
  // A camera's photo of 8-12 MB would take minutes on a weak network: over 4 MB it is scaled to 2,560 px (JPEG).
  if (kind === 'PHOTO' && bytes.byteLength > 4 * 1024 * 1024 && typeof createImageBitmap === 'function') {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 2560 / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.85));
    if (blob) {
      bytes = await blob.arrayBuffer();
      mediaType = 'image/jpeg';
    }
  }
  if (bytes.byteLength > MAX_FILE_BYTES)
    throw new Error(
      `文件 ${file.name} 有 ${Math.ceil(bytes.byteLength / 1_048_576)} MB，超过平台上限 10 MB：请拆分或压缩后再添加。`,
    );
  return { meta: { sha256: fileSha256(bytes), kind, mediaType, size: bytes.byteLength, name: file.name }, bytes };
}

/**
 * A fresh idempotency key (R24): a UUID, also where the page is not a secure context (crypto.randomUUID is missing
 * there).
 */
function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A refused submission as a draft again: its results, photos and date; signatures to be drawn again. */
function draftFrom(entry: OutboxEntry): Draft {
  return {
    id: entry.visitId,
    subject: entry.subject,
    inspectedOn: entry.submission.inspectedOn,
    results: Object.fromEntries(
      entry.submission.results.map((r) => [
        `${r.department}:${r.itemCode}`,
        {
          outcome: r.outcome,
          method: r.method,
          notes: r.notes ?? '',
          confidentialNotes: r.confidentialNotes ?? '',
          measures: [...((r.measures as string[] | null | undefined) ?? [])],
          photos: (r.evidence ?? []).flatMap((e) => (e.startsWith('sha256:') ? [e.slice('sha256:'.length)] : [])),
          penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure === true,
          statutoryCheckFailed: r.statutoryCheckFailed === true,
          leadFor: r.leadFor ?? '',
          leadNote: r.leadNote ?? '',
        },
      ]),
    ),
    files: Object.fromEntries(entry.files.filter((f) => f.kind !== 'SIGNATURE').map((f) => [f.sha256, f])),
    signatures: null,
    updatedAt: new Date().toISOString(),
  };
}

function emptyResult(method: string): DraftResult {
  return {
    outcome: '',
    method,
    notes: '',
    confidentialNotes: '',
    measures: [],
    photos: [],
    penaltyUnderGeneralProcedure: false,
    statutoryCheckFailed: false,
    leadFor: '',
    leadNote: '',
  };
}

/** The submission the draft makes (without its key): every item of the visit (R22), photos by hash. */
function submissionOf(k: KeptVisit, draft: Draft) {
  return {
    taskId: k.task.id,
    targetKey: k.visit.key,
    inspectedOn: draft.inspectedOn,
    results: k.visit.checklist.map((c) => {
      const r = draft.results[itemKey(c)] ?? emptyResult(c.method);
      return {
        department: c.department,
        itemCode: c.code,
        outcome: r.outcome,
        method: r.method as Visit['checklist'][number]['method'],
        notes: r.notes.trim() || null,
        confidentialNotes: r.confidentialNotes.trim() || null,
        evidence: r.photos.map((h) => `sha256:${h}`),
        measures: r.measures as VisitMeasure[],
        penaltyUnderGeneralProcedure: r.penaltyUnderGeneralProcedure,
        statutoryCheckFailed: r.statutoryCheckFailed,
        leadFor: r.leadFor || null,
        leadNote: r.leadFor ? r.leadNote.trim() || null : null,
      };
    }),
  };
}

/** One item: outcome, method, notes, measures, photos, and more (R27). */
function ItemEntry({
  k,
  item,
  result,
  set,
  addPhoto,
  files,
}: {
  k: KeptVisit;
  item: Visit['checklist'][number];
  result: DraftResult;
  set: (change: Partial<DraftResult>) => void;
  addPhoto: (file: File) => Promise<void>;
  files: Record<string, KeptFile>;
}) {
  const outcomes = k.outcomes[item.department];
  const list = Array.isArray(outcomes) ? outcomes : [];
  const [photoError, setPhotoError] = useState<string | null>(null);
  return (
    <div
      class={`item ${result.outcome ? 'done' : ''}`}
      data-testid="item"
      data-item={item.code}
      data-department={item.department}
    >
      <h3>
        {item.title} <span class="meta">{item.code}</span>
      </h3>
      <p class="meta">依据：{item.basis}</p>
      {!Array.isArray(outcomes) ? (
        <p class="notice error">
          {deptName(k, item.department)}的结果选项未能下载到手机（{outcomes?.error ?? '未知'}）：联网后重新下载。
        </p>
      ) : null}
      <label>
        检查结果
        <select
          data-testid="item-outcome"
          value={result.outcome}
          required
          onChange={(e) => set({ outcome: (e.target as HTMLSelectElement).value })}
        >
          <option value="">请选择</option>
          {list.map((o) => (
            <option key={o.code} value={o.code}>
              {o.label}
              {o.dishonesty ? '（列入失信）' : ''}
            </option>
          ))}
        </select>
      </label>
      <label>
        检查方式
        <select
          data-testid="item-method"
          value={result.method}
          onChange={(e) => set({ method: (e.target as HTMLSelectElement).value })}
        >
          {Object.keys(METHOD).map((m) => (
            <option key={m} value={m}>
              {label(METHOD, m)}
            </option>
          ))}
        </select>
      </label>
      <label>
        检查情况（公示）
        <textarea
          rows={2}
          data-testid="item-notes"
          value={result.notes}
          onInput={(e) => set({ notes: (e.target as HTMLTextAreaElement).value })}
        />
      </label>
      <fieldset class="measures">
        <legend>现场采取的措施</legend>
        {Object.keys(VISIT_MEASURE).map((m) => (
          <label class="inline" key={m}>
            <input
              type="checkbox"
              data-testid={`item-measure-${m}`}
              checked={result.measures.includes(m)}
              onChange={(e) =>
                set({
                  measures: (e.target as HTMLInputElement).checked
                    ? [...result.measures, m]
                    : result.measures.filter((x) => x !== m),
                })
              }
            />
            {label(VISIT_MEASURE, m)}
          </label>
        ))}
      </fieldset>
      <label>
        现场照片或文件
        <input
          type="file"
          accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf"
          data-testid="item-photo"
          onChange={(e) => {
            const input = e.target as HTMLInputElement;
            const file = input.files?.[0];
            if (!file) return;
            setPhotoError(null);
            addPhoto(file).catch((error: unknown) => setPhotoError(String((error as Error).message ?? error)));
            input.value = '';
          }}
        />
      </label>
      {photoError ? <p class="notice error">{photoError}</p> : null}
      {result.photos.length ? (
        <ul class="photos" data-testid="item-photos">
          {result.photos.map((h) => (
            <li key={h}>
              {files[h]?.name ?? '文件'} · {Math.ceil((files[h]?.size ?? 0) / 1024)} KB · <code>{h.slice(0, 12)}</code>
              <button type="button" class="link" onClick={() => set({ photos: result.photos.filter((x) => x !== h) })}>
                移除
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <details>
        <summary>更多（内部备注、后续处理、移交线索）</summary>
        <label>
          内部备注（不公示）
          <input
            type="text"
            value={result.confidentialNotes}
            onInput={(e) => set({ confidentialNotes: (e.target as HTMLInputElement).value })}
          />
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={result.penaltyUnderGeneralProcedure}
            onChange={(e) => set({ penaltyUnderGeneralProcedure: (e.target as HTMLInputElement).checked })}
          />
          将按一般程序处罚
        </label>
        <label class="inline">
          <input
            type="checkbox"
            checked={result.statutoryCheckFailed}
            onChange={(e) => set({ statutoryCheckFailed: (e.target as HTMLInputElement).checked })}
          />
          法定检验检测不合格
        </label>
        <label>
          发现其他部门职责范围内的问题：移交线索给
          <select
            data-testid="item-lead-for"
            value={result.leadFor}
            onChange={(e) => set({ leadFor: (e.target as HTMLSelectElement).value })}
          >
            <option value="">不移交</option>
            {Object.entries(k.departmentNames)
              .filter(([code]) => code !== item.department)
              .map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
          </select>
        </label>
        {result.leadFor ? (
          <label>
            线索说明
            <input
              type="text"
              required
              data-testid="item-lead-note"
              value={result.leadNote}
              onInput={(e) => set({ leadNote: (e.target as HTMLInputElement).value })}
            />
          </label>
        ) : null}
        <RuleNote rule="R27">
          发现属于其他部门职责的问题，作为线索移交该部门处理；按一般程序处罚或法定检验不合格的，结果中注明。
        </RuleNote>
      </details>
    </div>
  );
}

/**
 * The signatures over the results' digest (R29): the business signs or the inspectors note its refusal; the whole team
 * signs.
 */
function SignStep({
  k,
  draft,
  digest,
  update,
  back,
  submit,
  busy,
}: {
  k: KeptVisit;
  draft: Draft;
  digest: string;
  update: (change: (d: Draft) => Draft) => void;
  back: () => void;
  submit: () => void;
  busy: boolean;
}) {
  // Signatures made over other results (a result changed since) count for nothing: they are drawn again.
  const over = (d: Draft): DraftSignatures =>
    d.signatures?.contentDigest === digest ? d.signatures : { contentDigest: digest, business: null, team: {} };
  const signatures = over(draft);
  /** Each change is made on the draft as it is when it happens (signatures arrive one by one, asynchronously). */
  const changeSignatures = (change: (s: DraftSignatures) => DraftSignatures) =>
    update((d) => ({ ...d, signatures: change(over(d)) }));
  /** Keeps a drawn signature as a file of the visit and puts its hash where it belongs. */
  const keepSignature = (
    png: ArrayBuffer,
    name: string,
    place: (s: DraftSignatures, sha256: string) => DraftSignatures,
  ) => {
    const file: KeptFile = {
      sha256: fileSha256(png),
      kind: 'SIGNATURE',
      mediaType: 'image/png',
      size: png.byteLength,
      name,
    };
    void keepFile(draft.subject, file, png).then(() =>
      update((d) => ({ ...d, files: { ...d.files, [file.sha256]: file }, signatures: place(over(d), file.sha256) })),
    );
  };
  const business = signatures.business;
  const team = activeTeam(k.visit);
  const complete =
    !!business &&
    (business.kind === 'REFUSED'
      ? business.note.trim() !== ''
      : business.signerName.trim() !== '' && !!business.signature) &&
    team.every((m) => signatures.team[`${m.department}/${m.personId}`]);
  const submission = submissionOf(k, draft);
  const outcomeLabel = (department: string, code: string) => {
    const list = k.outcomes[department];
    return (Array.isArray(list) ? list.find((o) => o.code === code)?.label : undefined) ?? code;
  };
  return (
    <section data-testid="sign-step">
      <h2>核对并签字</h2>
      <p>请检查对象负责人和检查组全体成员核对以下结果后签字。签字后结果如有修改，需重新签字。</p>
      {departmentsOf(k).map((d) => (
        <div class="work-panel" key={d}>
          <h3>{deptName(k, d)}</h3>
          <ul class="summary">
            {submission.results
              .filter((r) => r.department === d)
              .map((r) => (
                <li key={r.itemCode} data-testid="summary-item">
                  {k.visit.checklist.find((c) => c.department === d && c.code === r.itemCode)?.title ?? r.itemCode}：
                  <strong>{outcomeLabel(d, r.outcome)}</strong>（{label(METHOD, r.method)}）
                  {r.notes ? `；${r.notes}` : ''}
                  {r.penaltyUnderGeneralProcedure ? '；将按一般程序处罚' : ''}
                  {r.statutoryCheckFailed ? '；法定检验检测不合格' : ''}
                  {(r.measures as string[] | null)?.length
                    ? `；措施：${(r.measures as string[]).map((m) => label(VISIT_MEASURE, m)).join('、')}`
                    : ''}
                  {r.evidence?.length ? `；照片 ${r.evidence.length} 张` : ''}
                  {r.leadFor ? `；移交${deptName(k, r.leadFor)}：${r.leadNote ?? ''}` : ''}
                </li>
              ))}
          </ul>
        </div>
      ))}
      <p>
        检查日期：<strong data-testid="summary-date">{draft.inspectedOn}</strong>
      </p>
      <p class="meta digest" data-testid="content-digest" data-digest={digest}>
        结果摘要（SHA-256）：{digest.slice(0, 16)}…
      </p>
      <RuleNote rule="R29">
        签字针对上列结果的摘要；平台生成的记录表打印同一摘要，存档时记入审计记录，纸面与记录可随时核对。
      </RuleNote>
      <fieldset class="work-panel">
        <legend>检查对象签字或盖章</legend>
        <label class="inline">
          <input
            type="radio"
            name="business"
            data-testid="business-signs"
            checked={business?.kind === 'SIGNED'}
            onChange={() =>
              changeSignatures((s) => ({ ...s, business: { kind: 'SIGNED', signerName: '', signature: '' } }))
            }
          />
          负责人签字
        </label>
        <label class="inline">
          <input
            type="radio"
            name="business"
            data-testid="business-refuses"
            checked={business?.kind === 'REFUSED'}
            onChange={() => changeSignatures((s) => ({ ...s, business: { kind: 'REFUSED', note: '' } }))}
          />
          拒绝签字或盖章
        </label>
        {business?.kind === 'SIGNED' ? (
          <>
            <label>
              签字人姓名
              <input
                type="text"
                data-testid="business-name"
                value={business.signerName}
                onInput={(e) => {
                  const signerName = (e.target as HTMLInputElement).value;
                  changeSignatures((s) =>
                    s.business?.kind === 'SIGNED' ? { ...s, business: { ...s.business, signerName } } : s,
                  );
                }}
              />
            </label>
            <SignatureField
              label="检查对象负责人签字"
              testId="business-signature"
              onSigned={(drawn) => {
                const placed = (s: DraftSignatures, signature: string): DraftSignatures =>
                  s.business?.kind === 'SIGNED' ? { ...s, business: { ...s.business, signature } } : s;
                if (drawn) keepSignature(drawn.png, '检查对象签字.png', placed);
                else changeSignatures((s) => placed(s, ''));
              }}
            />
          </>
        ) : null}
        {business?.kind === 'REFUSED' ? (
          <label>
            检查人员说明（由检查组成员签字确认）
            <textarea
              rows={3}
              data-testid="refusal-note"
              value={business.note}
              onInput={(e) => {
                const note = (e.target as HTMLTextAreaElement).value;
                changeSignatures((s) => ({ ...s, business: { kind: 'REFUSED', note } }));
              }}
            />
          </label>
        ) : null}
      </fieldset>
      <fieldset class="work-panel">
        <legend>检查组全体成员签字</legend>
        {team.map((m) => {
          const key = `${m.department}/${m.personId}`;
          return (
            <SignatureField
              key={key}
              label={`${m.name}（${deptName(k, m.department)}，${m.certificateNo ?? label(MEMBER_KIND, m.kind)}）`}
              testId={`team-signature-${m.department}-${m.personId}`}
              onSigned={(drawn) => {
                if (drawn)
                  keepSignature(drawn.png, `${m.name}签字.png`, (s, sha256) => ({
                    ...s,
                    team: { ...s.team, [key]: sha256 },
                  }));
                else
                  changeSignatures((s) => ({
                    ...s,
                    team: Object.fromEntries(Object.entries(s.team).filter(([x]) => x !== key)),
                  }));
              }}
            />
          );
        })}
      </fieldset>
      <div class="actions">
        <button type="button" class="secondary" onClick={back}>
          返回修改
        </button>
        <button type="button" data-testid="visit-submit" disabled={!complete || busy} onClick={submit}>
          {busy ? '正在保存…' : '提交（无网络时保存待发送）'}
        </button>
      </div>
      {!complete ? <p class="meta">检查对象签字（或拒绝签字的说明）和检查组每位成员的签字都完成后才能提交。</p> : null}
    </section>
  );
}

/** A submitted visit: each department's delivery (online), and the record form's PDF with its hash. */
function SentVisit({
  k,
  entry,
  online,
  resend,
  edit,
}: {
  k: KeptVisit;
  entry: OutboxEntry | undefined;
  online: boolean;
  resend: () => void;
  edit: () => void;
}) {
  const state = useAsync(
    async (signal) => {
      if (!online) return null;
      const answer = await run('InspectorVisits', { taskId: k.task.id }, { signal });
      return (answer.data?.jointTask?.visitPage?.nodes ?? []).find((v) => v.key === k.visit.key) ?? null;
    },
    [online, entry?.state],
  );
  const fresh = state.status === 'done' ? state.value : null;
  const visit = fresh ?? k.visit;
  const form = visit.recordForms.find((f) => f.current);
  const [pdf, setPdf] = useState<{ url: string } | { error: unknown } | null>(null);
  const open = async (path: string) => {
    try {
      setPdf({ url: URL.createObjectURL(await readDocument(path)) });
    } catch (error) {
      setPdf({ error });
    }
  };
  return (
    <section class="work-panel" data-testid="visit-submission">
      {entry ? (
        <p data-testid="visit-entry-state" data-state={entry.state}>
          {STATE_LABEL[entry.state]}：保存于 {chinaDateTime(entry.createdAt)}
          {entry.state === 'WAITING' ? '，联网后自动发送。' : ''}
          {entry.state === 'REFUSED' ? `。平台答复（${entry.lastErrorCode}）：${entry.lastError}` : ''}
        </p>
      ) : null}
      {entry?.state === 'REFUSED' ? (
        <div class="actions" data-testid="refused-actions">
          <button type="button" data-testid="refused-resend" onClick={resend}>
            重新发送（原样）
          </button>
          {entry.submissionId ? null : (
            <button type="button" class="secondary" data-testid="refused-edit" onClick={edit}>
              退回修改（需重新签字）
            </button>
          )}
        </div>
      ) : null}
      {visit.submission ? (
        <>
          <p>
            已于 {chinaDateTime(visit.submission.submittedAt)} 提交（检查日期 {visit.submission.inspectedOn}）。
          </p>
          <ul>
            {visit.submission.deliveries.map((d) => (
              <li key={d.department} data-testid="delivery" data-department={d.department} data-status={d.status}>
                {deptName(k, d.department)}：{label(DELIVERY_STATUS, d.status)}
                {d.lastError ? `（${d.lastError}）` : ''}
              </li>
            ))}
          </ul>
          <RuleNote rule="R24">回传由平台自动重试，直到各部门系统确认收到；同一结果不会重复保存。</RuleNote>
        </>
      ) : null}
      {form || entry?.pdfSha256 ? (
        <div data-testid="record-form" data-sha256={form?.pdfSha256 ?? entry?.pdfSha256}>
          <h3>部门联合抽查情况记录表</h3>
          <p class="hash">
            存档摘要（SHA-256）：<code data-testid="record-form-hash">{form?.pdfSha256 ?? entry?.pdfSha256}</code>
          </p>
          <button
            type="button"
            class="secondary"
            data-testid="record-form-open"
            disabled={!online}
            onClick={() => void open(form?.documentPath ?? entry!.documentPath!)}
          >
            查看记录表（PDF）
          </button>
          {pdf && 'url' in pdf ? (
            <a href={pdf.url} download={`记录表-${k.visit.key}.pdf`} data-testid="record-form-download">
              保存 PDF
            </a>
          ) : null}
          {pdf && 'error' in pdf ? <ErrorNotice error={pdf.error} title="未能读取记录表" /> : null}
        </div>
      ) : null}
    </section>
  );
}

/** One visit on the phone: read from what the phone keeps; entered, signed, queued. */
function VisitScreen({ session, taskId, targetKey }: { session: SessionIdentity; taskId: string; targetKey: string }) {
  const online = useOnline();
  const box = useOutbox(session.subject, online, session.token !== '');
  const { route } = useLocation();
  const id = visitId(taskId, targetKey);
  const [reload, setReload] = useState(0);
  const state = useAsync(async () => {
    let k = await keptVisit(session.subject, id);
    if (!k && navigator.onLine && session.token) {
      await keepForTheDay(session);
      k = await keptVisit(session.subject, id);
    }
    if (!k)
      throw new HubError(
        'NOT_FOUND',
        `手机上没有检查对象 ${targetKey}：联网后在“今日检查”下载检查任务（只能填报您所在检查组的检查，R30）。`,
      );
    const entry = await outboxOf(session.subject, id);
    const draft = (await draftOf(session.subject, id)) ?? {
      id,
      subject: session.subject,
      inspectedOn: visitDay(k.hubToday, k.keptAt),
      results: Object.fromEntries(k.visit.checklist.map((c) => [itemKey(c), emptyResult(c.method)])),
      files: {},
      signatures: null,
      updatedAt: new Date().toISOString(),
    };
    return { k, entry, draft };
  }, [id, reload]);
  if (state.status === 'loading') return <p class="loading">正在读取手机上的检查对象…</p>;
  if (state.status === 'error') return <ErrorNotice error={state.error} title="无法打开检查对象" />;
  const { k, draft } = state.value;
  // The outbox's own record of this visit as it is being sent (it changes while the page is open).
  const entry = box.entries.find((e) => e.visitId === id) ?? state.value.entry;
  return (
    <section class="onsite">
      <p class="crumbs">
        <a href="/work">业务办理</a> › <a href="/work/visits">今日检查</a> › 检查
      </p>
      <NetworkBar online={online} />
      <h1 data-testid="visit-target">
        {targetName(k)} <TrainingMark training={k.task.training} />
      </h1>
      <p class="meta">
        {k.task.name} · 第 {k.visit.batch} 批第 {k.visit.position} 户 · {k.visit.uscc ?? k.visit.key}
      </p>
      <p data-testid="visit-address">
        地址：{k.visit.entity?.registeredAddress ?? '（非市场主体，见各部门名录）'}
        {k.visit.entity ? ` · 法定代表人：${k.visit.entity.legalRepresentative}` : ''}
      </p>
      <h2>检查组</h2>
      <ul class="team" data-testid="visit-team">
        {activeTeam(k.visit).map((m) => (
          <li key={`${m.department}:${m.personId}`} data-testid="team-member" data-person={m.personId}>
            {m.name}
            {m.leader ? '（组长）' : ''} · {deptName(k, m.department)} ·{' '}
            {m.certificateNo ? `执法证 ${m.certificateNo}` : label(MEMBER_KIND, m.kind)}
          </li>
        ))}
      </ul>
      {k.visit.teamProblems.length ? (
        <p class="notice warn" data-testid="team-problems">
          检查组尚不完整：{k.visit.teamProblems.map((p) => problemText(p, (code) => deptName(k, code))).join('；')}
        </p>
      ) : null}
      {entry || k.visit.submission ? (
        <SentVisit
          k={k}
          entry={entry}
          online={online}
          resend={() => {
            // The same submission, its key kept: the hub answers what it stored of it, if anything.
            void saveEntry({ ...entry!, state: 'WAITING', lastError: null, lastErrorCode: null }).then(async () => {
              await box.refresh();
              if (navigator.onLine) void box.send();
            });
          }}
          edit={() => {
            // Nothing of it is on the hub: back to a draft, the results as they were, the signatures void (R29).
            void unqueue(entry!, draftFrom(entry!)).then(async () => {
              await box.refresh();
              setReload((r) => r + 1);
            });
          }}
        />
      ) : (
        <VisitEntry
          k={k}
          initial={draft}
          onQueued={async () => {
            await box.refresh();
            if (navigator.onLine) void box.send();
            setReload((r) => r + 1);
            route(`/work/visits/${encodeURIComponent(taskId)}/${encodeURIComponent(targetKey)}`);
          }}
        />
      )}
    </section>
  );
}

/** Entering a visit's results, then signing: everything kept on the phone at each change. */
function VisitEntry({ k, initial, onQueued }: { k: KeptVisit; initial: Draft; onQueued: () => Promise<void> }) {
  const [draft, setDraft] = useState<Draft>(initial);
  const [signing, setSigning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const update = (change: (d: Draft) => Draft) =>
    setDraft((d) => {
      const next = { ...change(d), updatedAt: new Date().toISOString() };
      void saveDraft(next);
      return next;
    });
  const setResult = (key: string, change: Partial<DraftResult>) =>
    update((d) => ({ ...d, results: { ...d.results, [key]: { ...d.results[key]!, ...change } } }));
  const submission = useMemo(() => submissionOf(k, draft), [k, draft]);
  const digest = useMemo(() => contentDigest(submission), [submission]);
  // What the hub would refuse, said here (the business signs once): an outcome for every item (R22), a note for every
  // lead handed over (R27).
  const missing = k.visit.checklist.filter((c) => {
    const r = draft.results[itemKey(c)];
    return !r?.outcome || (r.leadFor !== '' && r.leadNote.trim() === '');
  });
  /**
   * R26: a target unreachable at its registered address, or refusing the check, gets that as the
   * result of every department whose outcomes hold it, in one step. A serious refusal is a
   * dishonesty record (R27): asked first.
   */
  const everyItem = (outcome: string) => {
    const has = (department: string) => {
      const list = k.outcomes[department];
      return Array.isArray(list) && list.some((o) => o.code === outcome);
    };
    const dishonest = Object.values(k.outcomes).some(
      (list) => Array.isArray(list) && list.some((o) => o.code === outcome && o.dishonesty),
    );
    if (
      dishonest &&
      !window.confirm('该结果将作为失信记录公示（R27）。确定所有部门的检查事项都以“拒不配合、情节严重”为结果吗？')
    )
      return;
    update((d) => ({
      ...d,
      results: Object.fromEntries(
        Object.entries(d.results).map(([key, r]) => [key, has(key.split(':')[0]!) ? { ...r, outcome } : r]),
      ),
    }));
  };
  const addPhoto = async (key: string, file: File) => {
    const { meta, bytes } = await keptFileOf(file, file.type === 'application/pdf' ? 'DOCUMENT' : 'PHOTO');
    await keepFile(draft.subject, meta, bytes);
    update((d) => ({
      ...d,
      files: { ...d.files, [meta.sha256]: meta },
      results: {
        ...d.results,
        [key]: { ...d.results[key]!, photos: [...new Set([...d.results[key]!.photos, meta.sha256])] },
      },
    }));
  };
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const signatures = draft.signatures!;
      const used = new Set([
        ...submission.results.flatMap((r) => r.evidence!.map((e) => e.slice('sha256:'.length))),
        ...Object.values(signatures.team),
        ...(signatures.business?.kind === 'SIGNED' ? [signatures.business.signature] : []),
      ]);
      const key = newKey();
      const business = signatures.business!;
      await queue({
        key,
        visitId: k.id,
        subject: draft.subject,
        targetName: targetName(k),
        taskName: k.task.name,
        createdAt: new Date().toISOString(),
        files: Object.values(draft.files).filter((f) => used.has(f.sha256)),
        submission: { ...submission, idempotencyKey: key },
        form: {
          taskId: k.task.id,
          targetKey: k.visit.key,
          contentDigest: digest,
          acknowledgement: business.kind,
          businessSignerName: business.kind === 'SIGNED' ? business.signerName.trim() : null,
          businessSignature: business.kind === 'SIGNED' ? `sha256:${business.signature}` : null,
          refusalNote: business.kind === 'REFUSED' ? business.note.trim() : null,
          teamSignatures: activeTeam(k.visit).map((m) => ({
            personId: m.personId,
            department: m.department,
            signature: `sha256:${signatures.team[`${m.department}/${m.personId}`]!}`,
          })),
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
      });
      await onQueued();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  if (signing) {
    return (
      <>
        <SignStep
          k={k}
          draft={draft}
          digest={digest}
          update={update}
          back={() => setSigning(false)}
          submit={() => void submit()}
          busy={busy}
        />
        {error ? <ErrorNotice error={error} title="未能保存" /> : null}
      </>
    );
  }
  return (
    <form
      class="work"
      data-testid="visit-form"
      onSubmit={(e) => {
        e.preventDefault();
        setSigning(true);
        window.scrollTo(0, 0);
      }}
    >
      <label for="inspected-on">检查日期</label>
      <input
        id="inspected-on"
        type="date"
        required
        data-testid="inspected-on"
        min={k.task.windowStart ?? undefined}
        max={visitDay(k.hubToday, k.keptAt)}
        value={draft.inspectedOn}
        onInput={(e) => update((d) => ({ ...d, inspectedOn: (e.target as HTMLInputElement).value }))}
      />
      <div class="actions">
        <button type="button" class="secondary" data-testid="all-unreachable" onClick={() => everyItem('UNREACHABLE')}>
          无法联系（全部事项）
        </button>
        <button type="button" class="secondary" data-testid="all-refused" onClick={() => everyItem('REFUSED_SERIOUS')}>
          拒不配合（全部事项）
        </button>
      </div>
      <RuleNote rule="R26">
        通过登记的住所（经营场所）无法联系，或检查对象拒不配合的，以此作为各部门的检查结果；情节严重的不配合依法公示。
      </RuleNote>
      {departmentsOf(k).map((d) => (
        <fieldset key={d} class="work-panel" data-testid="department-items" data-department={d}>
          <legend>
            {deptName(k, d)}（{k.visit.checklist.filter((c) => c.department === d).length} 项）
          </legend>
          {k.visit.checklist
            .filter((c) => c.department === d)
            .map((c) => (
              <ItemEntry
                key={itemKey(c)}
                k={k}
                item={c}
                result={draft.results[itemKey(c)]!}
                set={(change) => setResult(itemKey(c), change)}
                addPhoto={(file) => addPhoto(itemKey(c), file)}
                files={draft.files}
              />
            ))}
        </fieldset>
      ))}
      <RuleNote rule="R24">结果提交一次，由平台分别回传给各部门自己的系统；各部门审核后公示（R25）。</RuleNote>
      <div class="actions">
        <button type="submit" data-testid="visit-sign" disabled={missing.length > 0}>
          核对并签字
        </button>
        {missing.length ? (
          <span class="meta" data-testid="items-missing">
            还有 {missing.length} 个事项未填写结果（或移交线索未写说明）
          </span>
        ) : null}
      </div>
    </form>
  );
}

/**
 * The inspector last signed in on this phone (localStorage): their kept work stays reachable while the sign-in has
 * lapsed.
 */
const LAST_INSPECTOR = 'jointcheck.onsite.inspector';

/**
 * /work/visits and /work/visits/:taskId/:key: an inspector's day and one visit, on the phone (issue
 * J). Signed in, as the inspector; with the sign-in lapsed (an hour offline, the app reopened from
 * the home screen), what the last inspector kept on this phone is still shown and entered, and
 * nothing is sent until they sign in again.
 */
export function VisitsWorkPage({ taskId, target: targetKey }: { taskId?: string; target?: string }) {
  const session = useSession();
  const { path } = useLocation();
  if (session?.role === 'INSPECTOR') localStorage.setItem(LAST_INSPECTOR, session.subject);
  const last = session ? null : localStorage.getItem(LAST_INSPECTOR);
  const screen = (s: SessionIdentity) =>
    taskId && targetKey ? (
      <VisitScreen session={s} taskId={decodeURIComponent(taskId)} targetKey={decodeURIComponent(targetKey)} />
    ) : (
      <InspectorDay session={s} />
    );
  if (!session && last) {
    return (
      <>
        <p class="notice warn" data-testid="signed-out">
          未登录或登录已过期：可继续查看和填写本手机保存的检查（{last}），
          <a href={`/signin?next=${encodeURIComponent(path)}`}>登录</a>后才会发送。
        </p>
        {screen({ token: '', subject: last, role: 'INSPECTOR', department: null, expiresAt: null })}
      </>
    );
  }
  return (
    <SignedIn>
      {(s) => (
        <ForRoles session={s} roles={['INSPECTOR']}>
          {screen(s)}
        </ForRoles>
      )}
    </SignedIn>
  );
}
