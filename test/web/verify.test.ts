import { publicRecord, type PublicDrawRecord } from '../../subgraphs/joint/draw/record';
import {
  frozenHash,
  runTeamDraw,
  TEAM_ALGORITHM,
  type TeamDrawInput,
  type TeamDrawRecord,
} from '../../subgraphs/joint/draw/teams';
import { NotARecord, THIS_TASK, verifyRecord } from '../../web/src/draw/verify';
import { fullRecord, roster, SECRET, WITNESS } from '../support/draw-records';

/**
 * The page's verdict on a draw record, on a task's page: the verifier's own checks (the same
 * modules as `npm run verify-draw`), and whether the record is the one the hub published for that
 * task. A record that checks out by itself but is another task's, or made up, is not verified.
 */
describe("the page's verdict on a draw record (R9, R16, R17)", () => {
  const full = fullRecord(roster(), SECRET, WITNESS);
  const published = publicRecord(full);
  const failing = (r: ReturnType<typeof verifyRecord>) => r.checks.filter((c) => !c.ok).map((c) => c.check);

  it("R9, R17: the task's full record is verified; its public record passes every check a public record can", () => {
    expect(verifyRecord(full, published)).toMatchObject({ kind: 'targets', verdict: 'verified' });
    const pub = verifyRecord(published, published);
    expect(pub.verdict).toBe('public');
    expect(failing(pub)).toEqual([]);
    expect(pub.checks[0]).toMatchObject({ check: THIS_TASK, ok: true });
  });

  it('R17: a drawn task not locked yet (no secret) waits for the lock, and is not called failed', () => {
    const unlocked: PublicDrawRecord = { ...published, secret: null, lockedAt: null };
    const result = verifyRecord(unlocked, unlocked);
    expect(result.verdict).toBe('awaiting-lock');
    expect(failing(result)).toEqual(['secret revealed']);
    // Once the record is locked, a missing secret is a fault.
    expect(verifyRecord({ ...published, secret: null }, published).verdict).toBe('failed');
  });

  it(
    "R16: another task's record, or one made up with its own secret, checks out by itself but is not this " +
      "task's draw",
    () => {
      const other = fullRecord(roster(), 'b'.repeat(64), WITNESS, undefined, undefined, 't2');
      const result = verifyRecord(other, published);
      expect(result.verdict).toBe('failed');
      expect(failing(result)).toEqual([THIS_TASK]);
      expect(result.checks[0]!.detail).toMatch(/任务.*承诺值.*抽中名单/);
      const madeUp = fullRecord(roster(), 'c'.repeat(64), '01 02 03 04 05 06 + 07');
      const forged = verifyRecord(madeUp, published);
      expect(forged.verdict).toBe('failed');
      expect(failing(forged)).toEqual([THIS_TASK]);
    },
  );

  it(
    'R15: batches reordered in a saved record fail both the re-play and the comparison with what was ' +
      'published, saying where',
    () => {
      const tampered = structuredClone(full);
      [tampered.batches[0]![0], tampered.batches[0]![1]] = [tampered.batches[0]![1]!, tampered.batches[0]![0]!];
      const result = verifyRecord(tampered, published);
      expect(result.verdict).toBe('failed');
      expect(failing(result)).toEqual([THIS_TASK, 'batch order']);
      expect(result.checks.find((c) => c.check === 'batch order')!.detail).toMatch(/first difference at position/);
    },
  );

  it('R18: a team-draw record re-plays, and is held to the task it belongs to', () => {
    const input: TeamDrawInput = {
      algorithm: TEAM_ALGORITHM,
      taskId: 't1',
      department: 'tax',
      targetSeed: 'f'.repeat(64),
      visits: [
        { key: 'A', regionCode: '310104' },
        { key: 'B', regionCode: '310105' },
      ],
      domains: ['发票'],
      inspectorsPerVisit: 1,
      expertsPerVisit: 0,
      inspectors: ['i1', 'i2', 'i3'].map((id) => ({
        id,
        name: id,
        certificateNo: `C-${id}`,
        domains: ['发票'],
        jurisdiction: ['3101'],
        qualified: true,
      })),
      experts: [],
      conflicts: [],
      entrustments: [],
    };
    const outcome = runTeamDraw(input);
    const team: TeamDrawRecord = {
      format: 'jointcheck-team-record/1',
      input,
      frozenHash: frozenHash(input),
      seed: outcome.seed,
      inputHash: outcome.inputHash,
      assignments: outcome.assignments,
    };
    expect(verifyRecord(team, published)).toMatchObject({ kind: 'teams', verdict: 'verified' });
    const elsewhere = verifyRecord({ ...team, input: { ...input, taskId: 't2' } }, published);
    expect(elsewhere.verdict).toBe('failed');
    expect(failing(elsewhere)).toContain(THIS_TASK);
  });

  it(
    'R16: a saved record whose witness is spelled otherwise re-plays, with a warning naming the canonical ' +
      'spelling, but is not the record the hub published',
    () => {
      const respelled = { ...full, witness: { ...full.witness, value: '03 09 14 22 27 31 + 08' } };
      const result = verifyRecord(respelled, published);
      expect(result.verdict).toBe('failed');
      expect(failing(result)).toEqual([THIS_TASK]);
      expect(result.checks.find((c) => c.check === 'witness spelling')).toMatchObject({
        ok: true,
        warning: true,
        detail: expect.stringContaining('"3 8 9 14 22 27 31"'),
      });
    },
  );

  it('what is not a record it can read is refused in words a person can act on, not checked', () => {
    expect(() => verifyRecord([1, 2], published)).toThrow(NotARecord);
    expect(() => verifyRecord({ format: 'something-else' }, published)).toThrow(/不认识的记录格式/);
    expect(() => verifyRecord({ format: published.format }, published)).toThrow(/缺少必需的字段/);
  });
});
