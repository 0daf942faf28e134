import { HubError, run } from '../../api/client';
import { currentSession, signOut } from '../../api/session';
import type { Transport } from './queue';
import type { KeptFile } from './store';

/** The header the hub checks a file's hash against (subgraphs/joint/visits/evidence-routes.ts). */
const CONTENT_SHA256 = 'x-content-sha256';

/** The signed-in official's bearer header, or the hub's refusal to say they must sign in again. */
function authorization(): Record<string, string> {
  const session = currentSession();
  if (!session) throw new HubError('UNAUTHENTICATED', '登录已过期：请重新登录后发送（待发送的内容保存在手机上，不会丢失）。');
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
export async function uploadEvidence(file: KeptFile, taskId: string, targetKey: string): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`/evidence?${new URLSearchParams({ taskId, targetKey, kind: file.kind })}`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', [CONTENT_SHA256]: file.sha256, ...authorization() },
      body: file.bytes,
    });
  } catch {
    throw new HubError('NETWORK', '无法连接到服务器：文件保存在手机上，网络恢复后自动发送。');
  }
  if (!response.ok) throw await refusal(response);
  return ((await response.json()) as { sha256: string }).sha256;
}

/** Reads a stored file (a photo, the record form's PDF) with the official's token: a blob URL for the page to show or save. */
export async function readDocument(documentPath: string): Promise<Blob> {
  let response: Response;
  try {
    response = await fetch(documentPath, { headers: authorization() });
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
    const s = (await run('SubmitVisitResults', { input })).data!.jointSubmitVisitResults;
    return { id: s.id, contentDigest: s.contentDigest };
  },
  async sign(input) {
    const f = (await run('SignRecordForm', { input })).data!.jointSignRecordForm;
    return { id: f.id, pdfSha256: f.pdfSha256, documentPath: f.documentPath };
  },
};
