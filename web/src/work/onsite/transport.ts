import { HubError, run } from '../../api/client';
import { currentSession, signOut } from '../../api/session';
import type { Transport } from './queue';
import { fileBytes, type KeptFile } from './store';

/** The header the hub checks a file's hash against (subgraphs/joint/visits/evidence-routes.ts). */
const CONTENT_SHA256 = 'x-content-sha256';

/** The signed-in official's bearer header, or the hub's refusal to say they must sign in again. */
function authorization(): Record<string, string> {
  const session = currentSession();
  if (!session)
    throw new HubError('UNAUTHENTICATED', '登录已过期：请重新登录后发送（待发送的内容保存在手机上，不会丢失）。');
  return { authorization: `Bearer ${session.token}` };
}

/** The hub's coded JSON error of a route outside GraphQL, as the page shows errors. */
async function refusal(response: Response): Promise<HubError> {
  try {
    const body = (await response.json()) as { errors?: Array<{ message: string; extensions?: { code?: string } }> };
    const first = body.errors?.[0];
    if (first) {
      if (first.extensions?.code === 'UNAUTHENTICATED') signOut('expired');
      return new HubError(first.extensions?.code ?? `HTTP_${response.status}`, first.message, body.errors);
    }
  } catch {
    /* not the hub's JSON: a proxy's page */
  }
  return new HubError(`HTTP_${response.status}`, `服务器返回 HTTP ${response.status}。`);
}

/** Sends a file of a visit to the hub (POST /evidence through the gateway); answers its hash as the hub computed it. */
export async function uploadEvidence(
  file: KeptFile,
  taskId: string,
  targetKey: string,
  subject: string,
): Promise<string> {
  const bytes = await fileBytes(subject, file.sha256);
  if (!bytes)
    throw new HubError('FILE_MISSING', `文件 ${file.name} 已不在手机上（浏览器清除了网站数据？）：请补拍后重新提交。`);
  const headers = { 'content-type': 'application/octet-stream', [CONTENT_SHA256]: file.sha256, ...authorization() };
  let response: Response;
  try {
    // A minute, and a minute more per megabyte: a stalled upload on a weak signal gives way to the next try.
    response = await fetch(`/evidence?${new URLSearchParams({ taskId, targetKey, kind: file.kind })}`, {
      method: 'POST',
      headers,
      body: bytes,
      signal: AbortSignal.timeout(60_000 + (bytes.byteLength / 1_048_576) * 60_000),
    });
  } catch {
    throw new HubError('NETWORK', '无法连接到服务器：文件保存在手机上，网络恢复后自动发送。');
  }
  if (!response.ok) throw await refusal(response);
  try {
    return ((await response.json()) as { sha256: string }).sha256;
  } catch {
    throw new HubError(`HTTP_${response.status}`, '服务器的应答不是平台的应答（网络门户页面？）：稍后自动重试。');
  }
}

/**
 * Reads a stored file (a photo, the record form's PDF) with the official's token: a blob URL for the page to show or
 * save.
 */
export async function readDocument(documentPath: string): Promise<Blob> {
  const headers = authorization();
  let response: Response;
  try {
    response = await fetch(documentPath, { headers });
  } catch {
    throw new HubError('NETWORK', '无法连接到服务器，请检查网络后重试。');
  }
  if (!response.ok) throw await refusal(response);
  return response.blob();
}

/** The page's way to the hub: files over /evidence, the results and the form over GraphQL. */
export const hubTransport: Transport = {
  upload: uploadEvidence,
  async submit(input) {
    authorization(); // an expired sign-in waits for the inspector to sign in again (not a network fault)
    const s = (await run('SubmitVisitResults', { input }, { signal: AbortSignal.timeout(60_000) })).data!
      .jointSubmitVisitResults;
    return { id: s.id, contentDigest: s.contentDigest };
  },
  async sign(input) {
    authorization();
    const f = (await run('SignRecordForm', { input }, { signal: AbortSignal.timeout(120_000) })).data!
      .jointSignRecordForm;
    return { id: f.id, pdfSha256: f.pdfSha256, documentPath: f.documentPath };
  },
};
