import * as nodeCrypto from 'node:crypto';
import { createHash } from '../../web/src/draw/node-crypto';

/**
 * The page re-plays draws with the server's own modules (subgraphs/joint/draw/), with only
 * `node:crypto` swapped for web/src/draw/node-crypto.ts. These tests hold the swap to Node's
 * answers on the inputs the verifier hashes: secrets, witnesses, snapshot lines, team inputs.
 */
describe("the browser's SHA-256 (R9, R16: the page re-plays the draw with the verifier's own hash)", () => {
  const node = (parts: string[]) =>
    parts.reduce((h, p) => h.update(p, 'utf8'), nodeCrypto.createHash('sha256')).digest('hex');
  const web = (parts: string[]) => parts.reduce((h, p) => h.update(p, 'utf8'), createHash('sha256')).digest('hex');

  it.each([
    ['empty', ['']],
    ['a seed line', ['jointcheck-draw/1\nsecret\nabc\n3 9 14']],
    ['Chinese text and astral characters', ['中国福利彩票双色球第2026024期开奖号码（2026年3月3日开奖）', '𠀀😀']],
    ['a snapshot in chunks', Array.from({ length: 300 }, (_, i) => `91310104${String(i).padStart(9, '0')}X\tHIGH\n`)],
  ])('gives the same digest as Node for %s', (_name, parts) => {
    expect(web(parts as string[])).toBe(node(parts as string[]));
  });

  it('gives the same digest as Node for 500 random texts cut at random places', () => {
    for (let n = 0; n < 500; n++) {
      const text = nodeCrypto.randomBytes(1 + (n % 97)).toString('base64') + '统一社会信用代码'.slice(0, n % 9);
      const cut = n % (text.length + 1);
      expect(web([text.slice(0, cut), text.slice(cut)])).toBe(node([text]));
    }
  });

  it('refuses what it cannot do instead of hashing wrongly', () => {
    expect(() => createHash('md5')).toThrow(/sha256/);
    expect(() => createHash('sha256').update('x', 'latin1' as 'utf8')).toThrow(/UTF-8/);
  });
});
