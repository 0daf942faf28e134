import type { SettableClock } from '../../kernel/settable-clock';
import { chinaTime } from './timeline';

interface Step {
  at: Date;
  order: number;
  run: () => Promise<void>;
}

/**
 * The demo year's steps in the order of their times: each runs with the hub's clock set to its
 * time (China time of day on its date), so every service stamps it with that day. A step may add
 * steps (the visits of a task are known once it is drawn). The clock only moves forward from one
 * step to the next: a step planned for a time the one before ran past starts where that one
 * ended. Steps planned at one time run in the order they were added.
 */
export class Schedule {
  private readonly steps: Step[] = [];
  private added = 0;

  /** Adds a step at `hour:minute` China time on `date` ('YYYY-MM-DD'); minutes past 59 run into the next hours. */
  at(date: string, hour: number, minute: number, run: () => Promise<void>): void {
    this.steps.push({ at: chinaTime(date, hour, minute), order: this.added++, run });
  }

  /** Runs every step, and those the steps add, in time order on the clock. */
  async run(clock: SettableClock): Promise<void> {
    let previous: Date | null = null;
    while (this.steps.length > 0) {
      this.steps.sort((a, b) => a.at.getTime() - b.at.getTime() || a.order - b.order);
      const step = this.steps.shift()!;
      clock.set(previous && previous > step.at ? previous : step.at);
      await step.run();
      previous = clock.now();
    }
  }
}
