import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { sha256Hex } from '../../../../subgraphs/joint/draw/canonical';
import {
  canonicalSubmissionContent,
  type SubmissionContent,
} from '../../../../subgraphs/joint/visits/submission-content';

/**
 * The digest of a visit's results, made on the phone exactly as the hub makes it when it stores
 * them (the same canonical text, subgraphs/joint/visits/submission-content.ts): the business and the
 * team sign over it, the form prints it, and the hub refuses a form signed over other results (R29).
 */
export function contentDigest(content: SubmissionContent): string {
  return sha256Hex(canonicalSubmissionContent(content));
}

/** SHA-256 of a file's bytes, in hex: how the hub names a stored file (`sha256:<hex>`). */
export function fileSha256(bytes: ArrayBuffer): string {
  return bytesToHex(sha256(new Uint8Array(bytes)));
}
