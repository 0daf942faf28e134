import { createLogger } from '../../../kernel/log';
import type { JointDeps } from '../context';
import { DELIVERY_COALESCE_MS, OutboxDeliverer } from './outbox-deliverer';

/**
 * When the rounds asked for after submissions start (OutboxDeliverer.soon). The rounds themselves
 * (claims, batches, receipts, two deliverers at once) are tested against real departments in
 * test/joint/write-back.test.ts; here only their timing, with Jest's clock, each round counted and finding nothing due.
 */
describe('the outbox deliverer after submissions', () => {
  let deliverer: OutboxDeliverer;
  let rounds: number;
  /** Set by a test to hold the rounds open until it resolves. */
  let hold: Promise<void> | null;

  beforeEach(() => {
    jest.useFakeTimers();
    deliverer = new OutboxDeliverer({} as JointDeps, createLogger('silent', 'test'), 3_600_000);
    rounds = 0;
    hold = null;
    // The real scheduling and drain; each round finds nothing due (no store is touched).
    jest
      .spyOn(deliverer as unknown as { round: () => Promise<{ due: number; delivered: number }> }, 'round')
      .mockImplementation(async () => {
        rounds++;
        await hold;
        return { due: 0, delivered: 0 };
      });
  });

  afterEach(async () => {
    await deliverer.stop();
    jest.useRealTimers();
  });

  it('R24: submissions arriving together start one round, at once when none ran lately', async () => {
    deliverer.soon();
    deliverer.soon();
    deliverer.soon();
    await jest.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(1);
  });

  it(`R24: the next round starts ${DELIVERY_COALESCE_MS} ms after the last one began, not at every submission`, async () => {
    deliverer.soon();
    await jest.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(1);
    for (let i = 0; i < 10; i++) {
      deliverer.soon();
      await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS / 20);
    }
    expect(rounds).toBe(1);
    await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS);
    expect(rounds).toBe(2);
  });

  it('R24: submissions during a long round make one round after it, however many they are', async () => {
    let finish!: () => void;
    hold = new Promise((resolve) => (finish = resolve));
    deliverer.soon();
    await jest.advanceTimersByTimeAsync(0);
    expect(rounds).toBe(1); // running, held (a slow department)
    for (let i = 0; i < 50; i++) {
      deliverer.soon();
      await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS);
    }
    expect(rounds).toBe(1);
    hold = null;
    finish();
    await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS);
    expect(rounds).toBe(2);
    await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS * 5);
    expect(rounds).toBe(2);
  });

  it('R24: a deliverer that stopped starts no round', async () => {
    await deliverer.stop();
    deliverer.soon();
    await jest.advanceTimersByTimeAsync(DELIVERY_COALESCE_MS * 2);
    expect(rounds).toBe(0);
  });
});
