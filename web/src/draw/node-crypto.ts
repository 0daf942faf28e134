import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/**
 * The part of Node's `crypto` module the draw verifier uses (`createHash('sha256')`, text updates
 * in UTF-8, hex digest), for the browser: the page re-plays draws with the very modules the
 * server and `npm run verify-draw` use (subgraphs/joint/draw/), and only this hash differs.
 * SHA-256 is synchronous here (Web Crypto's is not), so the verifier's code stays as it is.
 * A test compares it with Node's on the same inputs (web/src/draw/node-crypto.test.ts).
 */
export interface Hash {
  update(data: string, encoding?: 'utf8'): Hash;
  digest(encoding: 'hex'): string;
}

export function createHash(algorithm: string): Hash {
  if (algorithm !== 'sha256') throw new Error(`Only sha256 is available in the browser, not ${algorithm}.`);
  const state = sha256.create();
  const hash: Hash = {
    update(data: string, encoding = 'utf8') {
      if (encoding !== 'utf8') throw new Error(`Only UTF-8 text is hashed in the browser, not ${String(encoding)}.`);
      state.update(utf8ToBytes(data));
      return hash;
    },
    digest(encoding: 'hex') {
      if (encoding !== 'hex') throw new Error(`Only hex digests are made in the browser, not ${String(encoding)}.`);
      return bytesToHex(state.digest());
    },
  };
  return hash;
}
