import type { KeptFile, OutboxEntry, RecordFormInput, SubmissionInput } from './store';

/** How a waiting submission reaches the hub: the page's fetches (transport.ts), or a test's. */
export interface Transport {
  /**
   * Sends a file for a visit (POST /evidence), its bytes read from the phone's store; answers its hash as the hub
   * computed it.
   */
  upload(file: KeptFile, taskId: string, targetKey: string, subject: string): Promise<string>;
  submit(input: SubmissionInput): Promise<{ id: string; contentDigest: string | null }>;
  sign(input: RecordFormInput): Promise<{ id: string; pdfSha256: string; documentPath: string }>;
}

/** A failure the transport reports: the hub's code (or NETWORK when it could not be reached) and its words. */
export interface SendFailure {
  code: string;
  detail: string;
}

/**
 * Whether a failure is passing (try again later, nothing to change: no network, the hub busy or
 * restarting, a department down, the rate limit), or needs a person: the hub refused what was
 * sent (BAD_USER_INPUT, CONFLICT, FORBIDDEN, NOT_FOUND), or the inspector must sign in again.
 */
export function isPassing(code: string): boolean {
  // HTTP_<status>: an answer that is not the hub's (a captive portal's page, a proxy's error): not a refusal by the
  // hub.
  return (
    ['NETWORK', 'UNAVAILABLE', 'DOWNSTREAM_SERVICE_ERROR', 'RATE_LIMITED', 'INTERNAL_SERVER_ERROR', 'TIMEOUT'].includes(
      code,
    ) || code.startsWith('HTTP_')
  );
}

function failureOf(error: unknown): SendFailure {
  const e = error as { code?: unknown; detail?: unknown; message?: unknown };
  if (typeof e?.code === 'string')
    return { code: e.code, detail: typeof e.detail === 'string' ? e.detail : String(e.message ?? e.code) };
  return { code: 'NETWORK', detail: String(e?.message ?? error) };
}

/**
 * Sends one waiting submission as far as it can, step by step, saving the entry after each step
 * (R24): its files not yet confirmed, then the results with their idempotency key (sent again after
 * a lost answer, the hub answers the stored submission: stored once), then the record form (the
 * same request answers the same form, R29). A passing failure leaves it WAITING for the next try;
 * the hub's refusal marks it REFUSED with the hub's words (a person must look: nothing is lost, the
 * entry stays on the phone). Answers the entry as it now stands.
 */
export async function sendEntry(
  entry: OutboxEntry,
  transport: Transport,
  save: (entry: OutboxEntry) => Promise<void>,
  now: () => string = () => new Date().toISOString(),
): Promise<OutboxEntry> {
  let current: OutboxEntry = { ...entry, attempts: entry.attempts + 1, lastAttemptAt: now() };
  const step = async (change: Partial<OutboxEntry>) => {
    current = { ...current, ...change };
    await save(current);
  };
  try {
    for (const file of current.files) {
      if (current.sentFiles.includes(file.sha256)) continue;
      const stored = await transport.upload(
        file,
        String(current.submission.taskId),
        current.submission.targetKey,
        current.subject,
      );
      if (stored !== file.sha256)
        throw {
          code: 'BAD_USER_INPUT',
          detail:
            `文件 ${file.name} 在上传中被改变（平台计算的摘要 ${String(stored).slice(0, 12)}… 与手机上的 ${file.sha256.slice(0, 12)}… ` +
            `不同）。`,
        } satisfies SendFailure;
      await step({ sentFiles: [...current.sentFiles, file.sha256] });
    }
    if (!current.submissionId) {
      const submitted = await transport.submit(current.submission);
      // R29: what was signed on the phone is what the hub stored.
      if (submitted.contentDigest && submitted.contentDigest !== current.form.contentDigest) {
        throw {
          code: 'CONFLICT',
          detail: `平台保存的检查结果摘要（${submitted.contentDigest.slice(0, 12)}…）与签字时的摘要（${current.form.contentDigest.slice(0, 12)}…）不同：请核对后重新签字。`,
        } satisfies SendFailure;
      }
      await step({ submissionId: submitted.id });
    }
    if (!current.formId) {
      const form = await transport.sign(current.form);
      await step({ formId: form.id, pdfSha256: form.pdfSha256, documentPath: form.documentPath });
    }
    await step({ state: 'SENT', lastError: null, lastErrorCode: null });
  } catch (error) {
    const failure = failureOf(error);
    await step({
      state: isPassing(failure.code) || failure.code === 'UNAUTHENTICATED' ? 'WAITING' : 'REFUSED',
      lastError: failure.detail,
      lastErrorCode: failure.code,
    });
  }
  return current;
}

/**
 * Sends every waiting entry, one after another (a phone's network is one narrow pipe); stops at the
 * first passing failure (the network is gone: the rest would fail the same way). Answers how many
 * were sent. One round at a time per page: a second call while one runs joins it.
 */
let round: Promise<number> | null = null;
export function sendWaiting(
  entries: () => Promise<OutboxEntry[]>,
  transport: Transport,
  save: (entry: OutboxEntry) => Promise<void>,
): Promise<number> {
  round ??= (async () => {
    let sent = 0;
    try {
      for (const entry of await entries()) {
        if (entry.state !== 'WAITING') continue;
        const after = await sendEntry(entry, transport, save);
        if (after.state === 'SENT') sent++;
        else if (after.state === 'WAITING') break;
      }
    } finally {
      round = null;
    }
    return sent;
  })();
  return round;
}
