import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GraphQLError } from 'graphql';
import { LUNAR_TABLES_UNTIL, lunarFestivals, STATUTORY_RULES_SINCE, statutoryHolidays } from './statutory-holidays';
import { chinaDate, defaultCalendar, packageCalendarYears, WorkingDayCalendar } from './working-days';

/**
 * The expected dates are copied from the State Council's notices themselves, not from the package
 * under test. `days` expands "a至b放假" into its dates.
 */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

/** 国务院办公厅关于2025年部分节假日安排的通知 (国办发明电〔2024〕12号). */
const NOTICE_2025 = {
  holidays: [
    ...days('2025-01-28', '2025-02-04'), // 春节：1月28日至2月4日放假
    ...days('2025-05-01', '2025-05-05'), // 劳动节：5月1日至5日放假
    ...days('2025-10-01', '2025-10-08'), // 国庆节、中秋节：10月1日至8日放假
  ],
  // 1月26日（周日）、2月8日（周六）、4月27日（周日）、9月28日（周日）、10月11日（周六）上班
  workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
};

/** 国务院办公厅关于2026年部分节假日安排的通知 (国办发明电〔2025〕7号). */
const NOTICE_2026 = {
  holidays: [
    ...days('2026-01-01', '2026-01-03'), // 元旦：1月1日至3日放假
    ...days('2026-02-15', '2026-02-23'), // 春节：2月15日至23日放假
    ...days('2026-05-01', '2026-05-05'), // 劳动节：5月1日至5日放假
    ...days('2026-10-01', '2026-10-07'), // 国庆节：10月1日至7日放假
  ],
  // 1月4日（周日）、2月14日（周六）、2月28日（周六）、5月9日（周六）、9月20日（周日）、10月10日（周六）上班
  workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
};

const calendar = defaultCalendar();

/** Runs `fn`, expecting a BAD_USER_INPUT GraphQLError, and returns it. */
function refusal(fn: () => unknown): GraphQLError {
  let error: unknown;
  try {
    fn();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(GraphQLError);
  expect((error as GraphQLError).extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  return error as GraphQLError;
}

describe('working days on the State Council holiday notices', () => {
  it('has the notices of 2025 and 2026 but not 2027', () => {
    expect(calendar.coveredYears()).toEqual(expect.arrayContaining([2025, 2026]));
    expect(calendar.isCovered(2025)).toBe(true);
    expect(calendar.isCovered(2026)).toBe(true);
    expect(calendar.isCovered(2027)).toBe(false);
  });

  it.each([...NOTICE_2025.holidays, ...NOTICE_2026.holidays])('holiday %s is not a working day', (date) => {
    expect(calendar.isWorkingDay(date)).toBe(false);
  });

  it.each([...NOTICE_2025.workdays, ...NOTICE_2026.workdays])(
    'swapped weekend day %s (调休上班) is a working day',
    (date) => {
      expect(new Date(`${date}T00:00:00Z`).getUTCDay() % 6).toBe(0); // a Saturday or Sunday indeed
      expect(calendar.isWorkingDay(date)).toBe(true);
    },
  );

  it('ordinary weekends are not working days, ordinary weekdays are', () => {
    // 2025-03-08/09 and 2026-03-07/08 are a Saturday and a Sunday outside any holiday.
    for (const date of ['2025-03-08', '2025-03-09', '2026-03-07', '2026-03-08'])
      expect(calendar.isWorkingDay(date)).toBe(false);
    for (const date of ['2025-03-10', '2025-09-30', '2026-03-09']) expect(calendar.isWorkingDay(date)).toBe(true);
  });

  it(
    'R11: a plan revised on 2025-09-30 must be published by 2025-10-14 (5 working days, over the National Day ' +
      'holiday)',
    () => {
      // Day 0 is Tue 2025-09-30 itself. 10月1日至8日放假; then Thu 10-09 (1), Fri 10-10 (2),
      // Sat 10-11 调休上班 (3), Sun 10-12 off, Mon 10-13 (4), Tue 10-14 (5).
      expect(calendar.addWorkingDays('2025-09-30', 5)).toBe('2025-10-14');
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-14')).toBe(5);
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-13')).toBe(4);
      expect(calendar.workingDaysBetween('2025-09-30', '2025-10-15')).toBe(6); // one day late
      // Fri 09-26: Sat 09-27 off, Sun 09-28 调休上班 is the first working day after it.
      expect(calendar.addWorkingDays('2025-09-26', 1)).toBe('2025-09-28');
    },
  );

  it('counts across the 2026 Spring Festival', () => {
    // From Fri 2026-02-13: Sat 02-14 调休上班 (1), 02-15 to 02-23 放假, Tue 02-24 (2), Wed (3),
    // Thu (4), Fri 02-27 (5), Sat 02-28 调休上班 (6).
    expect(calendar.addWorkingDays('2026-02-13', 1)).toBe('2026-02-14');
    expect(calendar.addWorkingDays('2026-02-13', 2)).toBe('2026-02-24');
    expect(calendar.addWorkingDays('2026-02-13', 5)).toBe('2026-02-27');
    expect(calendar.addWorkingDays('2026-02-13', 6)).toBe('2026-02-28');
    expect(calendar.workingDaysBetween('2026-02-14', '2026-02-23')).toBe(0);
  });

  it('R25: a result formed on 2026-02-06 must be published by 2026-03-12 (20 working days)', () => {
    // Fri 02-06 is day 0. Mon 02-09 to Fri 02-13 (1-5), Sat 02-14 调休 (6), 02-15 to 02-23 放假,
    // Tue 02-24 to Fri 02-27 (7-10), Sat 02-28 调休 (11), Mon 03-02 to Fri 03-06 (12-16),
    // Mon 03-09 to Thu 03-12 (17-20).
    expect(calendar.addWorkingDays('2026-02-06', 20)).toBe('2026-03-12');
    expect(calendar.workingDaysBetween('2026-02-06', '2026-03-12')).toBe(20);
    expect(calendar.workingDaysBetween('2026-03-12', '2026-02-06')).toBe(-20);
    expect(calendar.workingDaysBetween('2026-02-06', '2026-02-06')).toBe(0);
  });

  it('counts across the year boundary into 2026', () => {
    // Wed 2025-12-31: 2026 元旦 1月1日至3日放假, Sun 01-04 调休上班 (1), Mon 01-05 (2), Tue 01-06 (3).
    expect(calendar.addWorkingDays('2025-12-31', 1)).toBe('2026-01-04');
    expect(calendar.addWorkingDays('2025-12-31', 3)).toBe('2026-01-06');
    expect(calendar.workingDaysBetween('2025-12-31', '2026-01-06')).toBe(3);
  });
});

describe('working days left until a deadline (R25, R31)', () => {
  it('R25: 0 on the deadline day, the working days after today before it, negative after it', () => {
    // The deadline of a result formed on 2026-02-06 is Thu 2026-03-12 (above).
    expect(calendar.workingDaysLeft('2026-03-12', '2026-03-12')).toBe(0);
    expect(calendar.workingDaysLeft('2026-03-11', '2026-03-12')).toBe(1);
    expect(calendar.workingDaysLeft('2026-03-06', '2026-03-12')).toBe(4); // Mon 9, Tue 10, Wed 11, Thu 12
    expect(calendar.workingDaysLeft('2026-03-13', '2026-03-12')).toBe(-1);
    expect(calendar.workingDaysLeft('2026-03-16', '2026-03-12')).toBe(-2); // Fri 13, Mon 16
  });

  it('R31: a day off counts as the next working day, so a passed deadline is never 0', () => {
    // Deadline Fri 2026-03-06: the weekend after it is already one working day late, like Monday.
    expect(calendar.workingDaysLeft('2026-03-07', '2026-03-06')).toBe(-1);
    expect(calendar.workingDaysLeft('2026-03-08', '2026-03-06')).toBe(-1);
    expect(calendar.workingDaysLeft('2026-03-09', '2026-03-06')).toBe(-1);
    expect(calendar.workingDaysLeft('2026-03-10', '2026-03-06')).toBe(-2);
    // Deadline Mon 2026-03-09: on the Saturday before, Monday is the next day to act: 0 left.
    expect(calendar.workingDaysLeft('2026-03-06', '2026-03-09')).toBe(1);
    expect(calendar.workingDaysLeft('2026-03-07', '2026-03-09')).toBe(0);
    // A deadline on a day off moves to the next working day (民法典 art. 203).
    expect(calendar.workingDaysLeft('2026-03-06', '2026-03-08')).toBe(1);
    expect(calendar.workingDaysLeft('2026-03-09', '2026-03-08')).toBe(0);
  });

  it('counts over the 2026 Spring Festival and its swapped working days', () => {
    // Deadline Tue 2026-02-24: Sat 02-14 调休上班 is a working day, 02-15 to 02-23 放假.
    expect(calendar.workingDaysLeft('2026-02-13', '2026-02-24')).toBe(2); // Sat 14, Tue 24
    expect(calendar.workingDaysLeft('2026-02-14', '2026-02-24')).toBe(1);
    expect(calendar.workingDaysLeft('2026-02-16', '2026-02-24')).toBe(0); // the holiday counts as Tue 24
    expect(calendar.workingDaysLeft('2026-02-27', '2026-02-13')).toBe(-5); // Sat 14, Tue 24 to Fri 27
  });

  it('is negative exactly when today is after the deadline, and the plain count on a working day', () => {
    for (const deadline of days('2026-02-02', '2026-03-31').filter((d) => calendar.isWorkingDay(d))) {
      for (const today of days('2026-01-26', '2026-04-10')) {
        const left = calendar.workingDaysLeft(today, deadline);
        expect([today, deadline, left < 0]).toEqual([today, deadline, today > deadline]);
        if (calendar.isWorkingDay(today))
          expect([today, deadline, left]).toEqual([today, deadline, calendar.workingDaysBetween(today, deadline)]);
      }
    }
  });

  it('refuses malformed dates naming the argument', () => {
    expect(refusal(() => calendar.workingDaysLeft('2026-3-1', '2026-03-12')).extensions).toMatchObject({
      field: 'today',
    });
    expect(refusal(() => calendar.workingDaysLeft('2026-03-01', '2026-02-30')).extensions).toMatchObject({
      field: 'deadline',
    });
  });
});

/**
 * Chinese New Year 2027 is 6 February (正月初一), 清明 5 April, 端午 9 June, 中秋 15 September: the
 * almanac's dates, written here by hand, not taken from the package under test.
 */
const STATUTORY_2027 = [
  '2027-01-01',
  '2027-02-05',
  '2027-02-06',
  '2027-02-07',
  '2027-02-08',
  '2027-04-05',
  '2027-05-01',
  '2027-05-02',
  '2027-06-09',
  '2027-09-15',
  '2027-10-01',
  '2027-10-02',
  '2027-10-03',
];

describe('a year without its holiday notice is counted provisionally (R11, R25 at the turn of the year)', () => {
  // chinese-days@1.5.7 has no 2027 data. If an upgraded package covers 2027, build these
  // calendars without it (new WorkingDayCalendar(packageCalendarYears().filter(...))).
  it('computes the statutory holidays of 《全国年节及纪念日放假办法》 for 2027 from the lunar calendar', () => {
    expect(statutoryHolidays(2027).map((h) => h.date)).toEqual(STATUTORY_2027);
    expect(statutoryHolidays(2027).find((h) => h.date === '2027-02-05')!.name).toBe('春节（除夕）');
  });

  it('R25: a result checked on 2026-12-10 has a provisional deadline on 2027-01-08 (1 January off, no swaps)', () => {
    expect(calendar.isCovered(2027)).toBe(false);
    expect(calendar.deadline('2026-12-10', 20)).toEqual({ date: '2027-01-08', provisionalYears: [2027] });
    expect(calendar.deadline('2026-12-03', 20)).toEqual({ date: '2026-12-31', provisionalYears: [] });
    // Over the 2027 Spring Festival: 5 and 8 February off (6 and 7 are a weekend anyway).
    expect(calendar.deadline('2027-01-29', 20)).toEqual({ date: '2027-03-02', provisionalYears: [2027] });
    for (const date of STATUTORY_2027) expect(calendar.isWorkingDay(date)).toBe(false);
    expect(calendar.isWorkingDay('2027-10-04')).toBe(true); // a Monday: only the notice could give it off
  });

  it(
    'R11: a plan made on the first working day of 2027 has its 5 working days counted, and a count across the ' +
      'new year goes on',
    () => {
      expect(calendar.addWorkingDays('2027-01-04', 5)).toBe('2027-01-11');
      expect(calendar.workingDaysBetween('2026-12-01', '2027-01-05')).toBe(24); // 22 in December, then 1 January off
      expect(calendar.workingDaysLeft('2027-01-04', '2026-12-31')).toBe(-1);
      expect(calendar.yearsWithoutNotice('2026-12-10', '2027-01-08')).toEqual([2027]);
      expect(calendar.yearsWithoutNotice('2027-01-08', '2026-12-10')).toEqual([2027]);
      expect(calendar.yearsWithoutNotice('2026-01-08', '2026-12-10')).toEqual([]);
    },
  );

  it("becomes final once the year's notice is loaded, and the notice's days then count", () => {
    const notice2027 = {
      year: 2027,
      source: 'test: a fictitious notice',
      holidays: ['2027-01-01', '2027-01-04'],
      workdays: ['2027-01-09'],
    };
    const loaded = defaultCalendar({ extraYears: [notice2027] });
    // 4 January off, Saturday 9 worked
    expect(loaded.deadline('2026-12-10', 20)).toEqual({ date: '2027-01-09', provisionalYears: [] });
    expect(loaded.addWorkingDays('2027-01-01', 5)).toBe('2027-01-09'); // 4 January off, Saturday 9 worked
    expect(loaded.isWorkingDay('2027-02-08')).toBe(true); // the fictitious notice has no Spring Festival
    expect(loaded.provisionalNote([])).toBe('');
  });

  it(
    'a provisional year never has a holiday the notice lacks: the notices of 2025 and 2026 hold every computed ' +
      'statutory holiday',
    () => {
      for (const year of packageCalendarYears().filter((y) => y.year >= STATUTORY_RULES_SINCE)) {
        expect([year.year, statutoryHolidays(year.year).filter((h) => !year.holidays.includes(h.date))]).toEqual([
          year.year,
          [],
        ]);
      }
    },
  );

  it('the lunar dates are those of every notice since 2013: 春节, 清明, 端午 and 中秋 are holidays there', () => {
    // (2012's data in the package lacks 23 June, a Saturday inside that year's 端午 holiday.)
    const years = packageCalendarYears().filter((y) => y.year >= 2013);
    expect(years.length).toBeGreaterThanOrEqual(14);
    for (const year of years) {
      const festivals = lunarFestivals(year.year);
      expect([year.year, Object.values(festivals).filter((d) => !year.holidays.includes(d))]).toEqual([year.year, []]);
    }
  });

  it('says what is provisional and what the operator does', () => {
    const note = calendar.provisionalNote([2027]);
    expect(note).toContain('subgraphs/joint/calendar/data/2027.json');
    expect(note).toContain('国务院办公厅关于2027年部分节假日安排的通知');
    expect(note).toContain('《全国年节及纪念日放假办法》');
  });

  it('refuses a date outside every loaded and computable year with BAD_USER_INPUT', () => {
    expect(refusal(() => calendar.isWorkingDay('2100-01-04')).extensions).toMatchObject({ year: 2100 });
    const error = refusal(() => calendar.isWorkingDay('2003-06-02'));
    expect(error.message).toContain(`${STATUTORY_RULES_SINCE}–${LUNAR_TABLES_UNTIL}`);
  });
});

describe('bad input', () => {
  it('refuses malformed dates and day counts', () => {
    for (const date of ['2025-9-30', '2025-02-29', '2025-13-01', '2025/10/01', '', '2025-10-01T00:00:00Z']) {
      expect(refusal(() => calendar.isWorkingDay(date)).extensions).toMatchObject({ field: 'date' });
    }
    expect(refusal(() => calendar.addWorkingDays('2025-10-32', 1)).extensions).toMatchObject({ field: 'from' });
    expect(refusal(() => calendar.workingDaysBetween('2025-10-01', '2025-1-2')).extensions).toMatchObject({
      field: 'to',
    });
    for (const n of [0, -1, 1.5, Number.NaN]) {
      expect(refusal(() => calendar.addWorkingDays('2025-09-30', n)).extensions).toMatchObject({ field: 'n' });
    }
  });
});

describe('year data beyond the package', () => {
  // A fictitious year: 2099-01-01 (a Thursday) off, Sat 2099-01-03 worked.
  const FICTITIOUS_2099 = {
    year: 2099,
    source: 'test: a fictitious notice',
    holidays: ['2099-01-01'],
    workdays: ['2099-01-03'],
  };

  it('an extra year makes that year covered', () => {
    expect(calendar.isCovered(2099)).toBe(false);
    const extended = defaultCalendar({ extraYears: [FICTITIOUS_2099] });
    expect(extended.isCovered(2099)).toBe(true);
    expect(extended.isCovered(2026)).toBe(true);
    expect(extended.isWorkingDay('2099-01-01')).toBe(false);
    expect(extended.isWorkingDay('2099-01-03')).toBe(true);
    expect(extended.isWorkingDay('2099-01-04')).toBe(false); // a Sunday
    expect(extended.addWorkingDays('2099-01-01', 1)).toBe('2099-01-02'); // Friday
    expect(extended.addWorkingDays('2099-01-01', 2)).toBe('2099-01-03'); // the Saturday worked
    expect(extended.addWorkingDays('2099-01-01', 3)).toBe('2099-01-05'); // Monday
  });

  it('a year file in a data folder makes that year covered and overrides the package', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-'));
    try {
      fs.writeFileSync(path.join(dir, '2099.json'), JSON.stringify(FICTITIOUS_2099));
      // A file replaces the package's year whole: this fictitious 2026 has only 元旦.
      fs.writeFileSync(
        path.join(dir, '2026.json'),
        JSON.stringify({ year: 2026, source: 'test: a fictitious notice', holidays: ['2026-01-01'], workdays: [] }),
      );
      const fromFolder = defaultCalendar({ dataDir: dir });
      expect(fromFolder.isCovered(2099)).toBe(true);
      expect(fromFolder.sourceOf(2026)).toBe('test: a fictitious notice');
      expect(fromFolder.isWorkingDay('2026-10-01')).toBe(true);
      expect(fromFolder.isWorkingDay('2026-01-04')).toBe(false);
      expect(fromFolder.isWorkingDay('2025-10-01')).toBe(false); // the package's 2025 is kept
      expect(fromFolder.provisionalNote([2098])).toContain(`${dir}/2098.json`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a year file with a misnamed file, a date of another year or a weekday 调休', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'calendar-'));
    /** Writes one year file and returns the load of the folder, to be expected to throw. */
    const attempt = (name: string, data: unknown) => {
      fs.writeFileSync(path.join(dir, name), JSON.stringify(data));
      return () => defaultCalendar({ dataDir: dir });
    };
    try {
      expect(attempt('2098.json', FICTITIOUS_2099)).toThrow(/"year" is 2099, the file name says 2098/);
      fs.rmSync(path.join(dir, '2098.json'));
      expect(attempt('2099.json', { ...FICTITIOUS_2099, holidays: ['2098-12-31'] })).toThrow(/not in 2099/);
      expect(attempt('2099.json', { ...FICTITIOUS_2099, workdays: ['2099-01-05'] })).toThrow(/a weekday/);
      expect(attempt('2099.json', { ...FICTITIOUS_2099, holidays: [] })).toThrow(/"holidays" is empty/);
      expect(attempt('2099.json', { ...FICTITIOUS_2099, source: '' })).toThrow(/"source" must cite/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a calendar built from year data alone covers only those years; the others are provisional', () => {
    const only = new WorkingDayCalendar([FICTITIOUS_2099]);
    expect(only.coveredYears()).toEqual([2099]);
    expect(only.isWorkingDay('2025-10-01')).toBe(false); // 国庆节, by the 办法
    expect(only.isWorkingDay('2025-10-06')).toBe(false); // 中秋节, by the lunar calendar
    expect(only.isWorkingDay('2025-10-07')).toBe(true); // off by the 2025 notice only
    expect(only.yearsWithoutNotice('2025-10-01', '2025-10-07')).toEqual([2025]);
  });

  it('refuses a calendar folder that does not exist (a setting pointing nowhere), naming the setting', () => {
    expect(() => defaultCalendar({ dataDir: path.join(os.tmpdir(), 'no-such-calendar-folder') })).toThrow(
      /does not exist.*JOINTCHECK_CALENDAR_DIR/,
    );
  });
});

describe('chinaDate (Asia/Shanghai, UTC+8)', () => {
  it('changes the date at 16:00 UTC, midnight in China', () => {
    expect(chinaDate(new Date('2025-09-30T15:59:59.999Z'))).toBe('2025-09-30');
    expect(chinaDate(new Date('2025-09-30T16:00:00.000Z'))).toBe('2025-10-01');
    expect(chinaDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(chinaDate(new Date('2024-02-28T16:00:00.000Z'))).toBe('2024-02-29');
    expect(chinaDate(new Date('2025-10-01T00:00:00+08:00'))).toBe('2025-10-01');
  });

  it('refuses an invalid instant', () => {
    refusal(() => chinaDate(new Date('not a date')));
  });
});
