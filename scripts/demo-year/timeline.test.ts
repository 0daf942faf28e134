import { defaultCalendar } from '../../subgraphs/joint/calendar/working-days';
import { addDays, chinaTime, DemoDays, demoTimeline, demoYear } from './timeline';

const calendar = defaultCalendar();

describe('the demo year timeline', () => {
  it("is today's year from 1 June, else the year before", () => {
    expect(demoYear('2026-05-31')).toBe(2025);
    expect(demoYear('2026-06-01')).toBe(2026);
    expect(demoYear('2026-12-03')).toBe(2026);
    expect(demoYear('2027-01-04')).toBe(2026);
  });

  it('a China time of day is 8 hours ahead of UTC', () => {
    expect(chinaTime('2026-03-04', 10, 30).toISOString()).toBe('2026-03-04T02:30:00.000Z');
    expect(chinaTime('2026-03-04', 7, 0).toISOString()).toBe('2026-03-03T23:00:00.000Z');
  });

  // Every today of a year the calendar covers (2026), and the first days of the next one (which it does not).
  const todays = [...Array.from({ length: 365 }, (_, i) => addDays('2026-01-01', i)), '2027-01-01', '2027-03-15'];

  it(
    'R11, R25: for every today, each step is on a working day before today, in order, with the autumn visits 8 ' +
      'working days before today',
    () => {
      for (const today of todays) {
        const t = demoTimeline(calendar, today);
        const days = new DemoDays(calendar, t.lastDay);
        const steps = [
          ...t.plansMade,
          t.draftMade,
          ...[t.spring, t.housing, t.autumn].flatMap((task) => [task.created, task.witness, ...task.visitDays]),
        ];
        expect([
          today,
          steps.every((d) => d < today && d.startsWith(String(t.year)) && calendar.isWorkingDay(d)),
        ]).toEqual([today, true]);
        expect([today, steps.slice(3).every((d, i, all) => i === 0 || d > all[i - 1]!)]).toEqual([today, true]);
        // The spring task is made in early March, its witness two working days later (R16), its visits after.
        expect([today, t.spring.created, t.spring.witness]).toEqual([
          today,
          days.onOrAfter(`${t.year}-03-02`),
          days.after(t.spring.created, 2),
        ]);
        if (today.startsWith(String(t.year)))
          expect([today, days.after(t.autumn.visitDays.at(-1)!, 7)]).toEqual([today, days.before(today, 1)]);
      }
    },
  );
});
