import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sha256Hex, snapshotHash } from './canonical';
import { drawFromStrata, normaliseWitness, runDraw } from './lottery';
import { publicRecord, verifyDrawRecord, type FullDrawRecord, type PublicDrawRecord } from './record';
import { combineStrata, drawCount, STRATA, stratumOfView, type Stratum } from './strata';
import { biasedChooser, drawFrequencies, fairnessPValues } from '../../../test/support/fairness';
import { fullRecord, RATIOS, roster, SECRET, WITNESS } from '../../../test/support/draw-records';

describe('the target draw', () => {
  it(
    'R13: a view is HIGH on the abnormal list, with penalties or verified complaints; otherwise the worse of ' +
      'credit and risk',
    () => {
      const clean = { creditLevel: 'A', riskLevel: 'LOW', penaltiesLast3Years: 0, verifiedComplaints: 0 };
      expect(stratumOfView(clean, false)).toBe('LOW');
      expect(stratumOfView(clean, true)).toBe('HIGH');
      expect(stratumOfView({ ...clean, penaltiesLast3Years: 1 }, false)).toBe('HIGH');
      expect(stratumOfView({ ...clean, verifiedComplaints: 2 }, false)).toBe('HIGH');
      expect(stratumOfView({ ...clean, creditLevel: 'C' }, false)).toBe('ELEVATED');
      expect(stratumOfView({ ...clean, riskLevel: 'GENERAL' }, false)).toBe('GENERAL');
      expect(stratumOfView({ ...clean, creditLevel: 'D' }, false)).toBe('HIGH');
    },
  );

  it(
    'R13: in a joint plan a tax D rating raises a target the ' + 'lead sees as low risk; LEAD combination ignores it',
    () => {
      expect(combineStrata('LOW', ['HIGH', 'GENERAL'], 'WORST')).toBe('HIGH');
      expect(combineStrata('LOW', ['HIGH'], 'LEAD')).toBe('LOW');
      expect(combineStrata('ELEVATED', [], 'WORST')).toBe('ELEVATED');
    },
  );

  it('R13: counts are ratio × eligible rounded up, never more than eligible', () => {
    expect(drawCount(100, 3000)).toBe(30);
    expect(drawCount(30, 100)).toBe(1); // 0.3 rounds up
    expect(drawCount(250, 150)).toBe(4); // 3.75 rounds up
    expect(drawCount(0, 3000)).toBe(0);
    expect(drawCount(7, 0)).toBe(0);
    expect(drawCount(3, 10000)).toBe(3);
  });

  it("R2: a GENERAL item's cap bounds every stratum's count, rounded down, so rounding up never passes it", () => {
    expect(drawCount(3, 500, 500)).toBe(0); // 5% of 3 would round up to 1 = 33%
    expect(drawCount(40, 500, 500)).toBe(2);
    expect(drawCount(100, 300, 500)).toBe(3); // below the cap: the ratio decides
    const capped = runDraw(roster(), { HIGH: 500, ELEVATED: 500, GENERAL: 500, LOW: 500 }, 'seed', 10, undefined, 500);
    for (const s of capped.strata) expect(s.drawn * 10000).toBeLessThanOrEqual(s.eligible * 500);
  });

  it("R16: the joint service's draw over snapshot positions is runDraw's over the keys, batch for batch", () => {
    const entries = roster();
    const ratios = { HIGH: 5000, ELEVATED: 2500, GENERAL: 1000, LOW: 300 };
    for (const seed of ['seed-1', 'seed-2', 'seed-3']) {
      const byKeys = runDraw(entries, ratios, seed, 7);
      const positions = Object.fromEntries(STRATA.map((s) => [s, [] as number[]])) as Record<Stratum, number[]>;
      entries.forEach(([, stratum], i) => positions[stratum].push(i));
      const byPositions = drawFromStrata(positions, ratios, seed, 7);
      expect(byPositions.strata).toEqual(byKeys.strata);
      expect(byPositions.batches.map((b) => b.map((i) => entries[i]![0]))).toEqual(byKeys.batches);
      expect(byPositions.chosen.map((i) => entries[i]![0]).sort()).toEqual(byKeys.drawn);
      expect(byKeys.drawn.length).toBeGreaterThan(0);
    }
  });

  it('R16: the same inputs give the same draw; a different witness gives a different one', () => {
    const a = fullRecord(roster(), SECRET, WITNESS);
    // Only the numbers of the witness count: no spelling of the same result can steer the seed.
    const b = fullRecord(roster(), SECRET, '蓝球 08，红球 31、27、22、14、9、3');
    const c = fullRecord(roster(), SECRET, '03 09 14 22 27 31 + 09');
    expect(normaliseWitness(' 03 09 14 22 27 31   + 08 ')).toBe('3 8 9 14 22 27 31');
    expect(normaliseWitness('100, 00, 7, 0')).toBe('0 0 7 100');
    expect(b.drawn).toEqual(a.drawn);
    expect(b.batches).toEqual(a.batches);
    expect(c.drawn).not.toEqual(a.drawn);
    expect(a.strata.map((s) => [s.stratum, s.eligible, s.drawn])).toEqual([
      ['HIGH', 10, 3],
      ['ELEVATED', 30, 3],
      ['GENERAL', 60, 2],
      ['LOW', 100, 1],
    ]);
  });

  it('R15: the batch order is drawn too, and each drawn target is in exactly one batch', () => {
    const record = fullRecord(roster(), SECRET, WITNESS, { HIGH: 10000, ELEVATED: 5000, GENERAL: 5000, LOW: 5000 }, 10);
    const flat = record.batches.flat();
    expect(flat.length).toBe(record.drawn.length);
    expect([...flat].sort()).toEqual(record.drawn);
    expect(record.batches.every((b, i) => b.length === 10 || i === record.batches.length - 1)).toBe(true);
    expect(flat).not.toEqual(record.drawn); // not the sorted order
    const other = fullRecord(
      roster(),
      SECRET,
      'another witness',
      { HIGH: 10000, ELEVATED: 5000, GENERAL: 5000, LOW: 5000 },
      10,
    );
    expect(other.batches).not.toEqual(record.batches);
  });

  it('R9, R17: the verifier re-plays an untouched full record', () => {
    const result = verifyDrawRecord(fullRecord(roster(), SECRET, WITNESS));
    expect(result).toMatchObject({ verdict: 'verified', ok: true, replayed: true });
    expect(result.checks.every((c) => c.ok && !c.warning)).toBe(true);
  });

  const tamperings: Array<[string, (r: FullDrawRecord) => void, string]> = [
    ['the secret', (r) => (r.secret = r.secret!.replace(/^a/, 'b')), 'commitment'],
    ['the commitment', (r) => (r.commitment = sha256Hex('something else')), 'commitment'],
    ['the witness value', (r) => (r.witness.value = '03 09 14 22 27 32 + 08'), 'drawn list'],
    ['the snapshot hash', (r) => (r.snapshot.hash = sha256Hex('x')), 'snapshot'],
    [
      "one target's stratum",
      (r) => (r.snapshotEntries[5] = [r.snapshotEntries[5]![0], r.snapshotEntries[5]![1] === 'LOW' ? 'HIGH' : 'LOW']),
      'snapshot',
    ],
    ['a target removed from the snapshot', (r) => r.snapshotEntries.splice(3, 1), 'snapshot'],
    ['the snapshot order', (r) => r.snapshotEntries.reverse(), 'snapshot'],
    [
      'a drawn target swapped for another',
      (r) => {
        const outsider = r.snapshotEntries.map((e) => e[0]).find((k) => !r.drawn.includes(k))!;
        const replaced = r.drawn[0]!;
        r.drawn = [...r.drawn.slice(1), outsider].sort();
        r.batches = r.batches.map((b) => b.map((k) => (k === replaced ? outsider : k)));
      },
      'drawn list',
    ],
    ['the batch order', (r) => r.batches.reverse(), 'batch order'],
    ['a stratum ratio', (r) => (r.strata[1]!.ratioBasisPoints = 2000), 'strata'],
    ['a stratum count', (r) => (r.strata[0]!.eligible += 1), 'strata'],
    ['the GENERAL ratio cap', (r) => (r.ratioCapBasisPoints = 100), 'strata'],
    ['the algorithm', (r) => (r.algorithm = 'jointcheck-draw/0'), 'format'],
    [
      'the witness, by one number more than committed to',
      (r) => (r.witness.value = `${r.witness.value} 2026136`),
      'witness entered',
    ],
  ];

  it.each(tamperings)('R9, R17: a record with %s changed fails verification', (_what, tamper, failingCheck) => {
    const record = fullRecord(roster(), SECRET, WITNESS);
    tamper(record);
    const result = verifyDrawRecord(record);
    expect(result.ok).toBe(false);
    expect(result.checks.filter((c) => !c.ok).map((c) => c.check)).toContain(failingCheck);
  });

  it(
    'R9, R16: a public record gets every check that needs no stratum, passes them, and is "public", not ' +
      'failed: the re-play needs the full record',
    () => {
      const record = publicRecord(fullRecord(roster(), SECRET, WITNESS));
      const result = verifyDrawRecord(record);
      expect(result).toMatchObject({ verdict: 'public', ok: false, replayed: false });
      expect(result.checks.map((c) => [c.check, c.ok])).toEqual(
        ['format', 'commitment', 'hash forms', 'witness entered', 'counts add up', 'batches hold the list'].map((c) => [
          c,
          true,
        ]),
      );
      expect(JSON.stringify(record)).not.toMatch(/"(HIGH|LOW)"\]/);
      // What a public record allows is checked: a count the ratio does not give, a batch too long, the list out of key
      // order.
      const broken: Array<[string, (r: PublicDrawRecord) => void]> = [
        ['counts add up', (r) => (r.strata[3]!.drawn += 1)],
        ['counts add up', (r) => (r.snapshot.size += 1)],
        ['batches hold the list', (r) => (r.batches = [r.batches.flat()])],
        ['batches hold the list', (r) => r.drawn.reverse()],
        ['hash forms', (r) => (r.snapshot.hash = r.snapshot.hash.toUpperCase())],
      ];
      for (const [check, change] of broken) {
        const copy = structuredClone(record);
        change(copy);
        const failed = verifyDrawRecord(copy);
        expect([check, failed.verdict, failed.checks.filter((c) => !c.ok).map((c) => c.check)]).toEqual([
          check,
          'failed',
          [check],
        ]);
      }
    },
  );

  it(
    'R17: a record drawn but not locked (no secret yet) is awaiting the lock; once locked, a missing secret ' + 'fails',
    () => {
      const record = { ...publicRecord(fullRecord(roster(), SECRET, WITNESS)), secret: null, lockedAt: null };
      expect(verifyDrawRecord(record).verdict).toBe('awaiting-lock');
      expect(verifyDrawRecord({ ...record, lockedAt: '2026-11-24T08:05:00.000Z' }).verdict).toBe('failed');
    },
  );

  it(
    'R16: a witness spelled non-canonically is reported with its canonical spelling, as a warning: the draw ' +
      'still verifies by its numbers',
    () => {
      const record = fullRecord(roster(), SECRET, WITNESS);
      expect(record.witness.value).toBe('3 8 9 14 22 27 31');
      for (const spelling of ['03 09 14 22 27 31 + 08', '31 27 22 14 9 8 3', '3,8,9,14,22,27,31']) {
        const result = verifyDrawRecord({ ...record, witness: { ...record.witness, value: spelling } });
        expect(result).toMatchObject({ verdict: 'verified', ok: true });
        expect(result.checks.find((c) => c.check === 'witness spelling')).toEqual({
          check: 'witness spelling',
          ok: true,
          warning: true,
          detail: expect.stringContaining(
            `spelled non-canonically ("${spelling}"); its canonical spelling, which the hub publishes and the ` +
              `seed uses, is "3 8 9 14 22 27 31"`,
          ),
        });
      }
      expect(verifyDrawRecord(record).checks.map((c) => c.check)).not.toContain('witness spelling');
    },
  );

  it(
    'npm run verify-draw: exit 0 verified, 1 a check fails, 2 not a record, 3 a public record checked but not ' +
      're-played; --help says so',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'verify-draw-'));
      const record = fullRecord(roster(), SECRET, WITNESS);
      const files = {
        good: record,
        bad: { ...record, batches: [...record.batches].reverse() },
        public: publicRecord(record),
        respelled: { ...record, witness: { ...record.witness, value: '03 09 14 22 27 31 + 08' } },
      };
      for (const [name, content] of Object.entries(files))
        fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(content));
      fs.writeFileSync(path.join(dir, 'notes.json'), '[1, 2]');
      const run = (...args: string[]) => {
        try {
          return {
            code: 0,
            out: execFileSync(process.execPath, ['-r', '@swc-node/register', 'scripts/verify-draw.ts', ...args], {
              cwd: path.join(__dirname, '../../..'),
              encoding: 'utf8',
              stdio: 'pipe',
            }),
          };
        } catch (error) {
          const e = error as { status: number; stdout: string };
          return { code: e.status, out: e.stdout };
        }
      };
      const file = (name: string) => path.join(dir, `${name}.json`);
      expect(run(file('good'))).toMatchObject({
        code: 0,
        out: expect.stringContaining('VERIFIED: the record is what the draw gives.'),
      });
      const tampered = run(file('bad'));
      expect(tampered.code).toBe(1);
      expect(tampered.out).toMatch(/✗ batch order: first difference at position 1/);
      const pub = run(file('public'));
      expect(pub.code).toBe(3);
      expect(pub.out).toMatch(
        /✓ commitment: .*\n✓ hash forms: .*\n✓ witness entered: .*\n✓ counts add up: .*\n✓ batches hold the list: /,
      );
      expect(pub.out).toMatch(/CHECKED, NOT RE-PLAYED: every check a public record allows passes\..*Task\.fullRecord/);
      expect(pub.out).not.toMatch(/✗|NOT VERIFIED/);
      const respelled = run(file('respelled'));
      expect(respelled.code).toBe(0);
      expect(respelled.out).toContain(
        '! witness spelling: the witness is spelled non-canonically ("03 09 14 22 27 31 + 08"); its canonical spelling',
      );
      expect(run(file('notes')).code).toBe(2);
      const help = run('--help');
      expect(help.code).toBe(0);
      expect(help.out).toMatch(
        /Exit codes:[\s\S]*0 +verified[\s\S]*1 +a check fails[\s\S]*2 +the file cannot be read[\s\S]*3 +not re-played/,
      );
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );
});

describe('fairness (R16): over 1,000 seeded draws every target of a stratum is drawn equally often', () => {
  const entries = roster();
  const hash = snapshotHash(entries);

  it('the lottery passes: p > 0.01 in every stratum', () => {
    const p = fairnessPValues(entries, drawFrequencies(entries, hash, RATIOS, 1000));
    for (const stratum of Object.keys(p) as Stratum[]) expect([stratum, p[stratum] > 0.01]).toEqual([stratum, true]);
  });

  it('the same test rejects a drawer biased towards the start of the roster', () => {
    const p = fairnessPValues(entries, drawFrequencies(entries, hash, RATIOS, 1000, biasedChooser));
    expect(Math.min(...Object.values(p))).toBeLessThan(0.01);
  });
});
