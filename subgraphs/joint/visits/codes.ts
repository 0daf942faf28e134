import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh code: `JC-` and 16 Crockford base-32 characters in groups of four (80 random bits). */
export function newInspectionCode(): string {
  const bytes = randomBytes(10);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 16; i++) {
    out = ALPHABET[Number(bits & 31n)]! + out;
    bits >>= 5n;
  }
  return `JC-${out.match(/.{4}/g)!.join('-')}`;
}

/** The code as a person may type it: upper case, O→0, I/L→1, spaces and dashes ignored. */
export function normaliseInspectionCode(value: string): string {
  const plain = value.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1').replace(/^JC/, '');
  return plain.length === 16 ? `JC-${plain.match(/.{4}/g)!.join('-')}` : value;
}
