import { isoWeekday } from '@small-steps/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.ts';
import { academicYearStart, addDays, daysBetween, todayInEngland } from './support/dates.ts';
import { laSystem, registerPupil } from './support/plan-people.ts';
import { e2eDatabases, type RunningServer, startServer } from './support/server.ts';

// A school's registers over HTTP: a week of marks uploaded for three pupils, two marks corrected
// with a reason, each pupil's trend now and as the register stood before the correction, and an
// upload refused as a whole. Dated back from today, so the marks are always in this academic year.

type Session = 'AM' | 'PM';
interface Mark {
  pupilId: string;
  date: string;
  session: Session;
  code: string;
  reason?: string;
}

/**
 * How each code sent here counts, as the school attendance guidance (August 2024) has it: the test's
 * own reading, not the service's table.
 */
const COUNTS_AS: Record<string, 'attended' | 'authorised' | 'unauthorised' | 'notCounted'> = {
  '/': 'attended',
  '\\': 'attended',
  L: 'attended', // late, before the register closed
  I: 'authorised', // illness
  M: 'authorised', // medical or dental appointment
  C2: 'authorised', // part-time timetable: shown apart too
  N: 'unauthorised', // no reason yet
  O: 'unauthorised',
  U: 'unauthorised', // late, after the register closed
  G: 'unauthorised', // holiday the school did not grant
  '#': 'notCounted', // planned whole-school closure
};

/** Percent to 1 decimal place, halves up; null with nothing to divide by. */
const percent = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part * 1000) / whole) / 10;

/** The figures the guidance gives for these marks, worked out here from what was sent. */
function figuresOf(marks: readonly Mark[]) {
  const count = (kind: string) => marks.filter((m) => COUNTS_AS[m.code] === kind).length;
  const attended = count('attended');
  const notCounted = count('notCounted');
  const possible = marks.length - notCounted;
  const rate = percent(attended, possible);
  return {
    possible,
    attended,
    authorisedAbsence: count('authorised'),
    unauthorisedAbsence: count('unauthorised'),
    notCounted,
    partTimeTimetable: marks.filter((m) => m.code === 'C2').length,
    rate,
    overallAbsence: rate === null ? null : Math.round(1000 - rate * 10) / 10,
  };
}

/** Persistent absence is 10 % or more of possible sessions missed, severe 50 % or more; C2 apart. */
const standingOf = ({ possible, attended, partTimeTimetable }: ReturnType<typeof figuresOf>) => ({
  persistentAbsence: possible > 0 && (possible - attended) * 10 >= possible,
  severeAbsence: possible > 0 && (possible - attended) * 2 >= possible,
  rateExcludingPartTimeTimetable: percent(attended, possible - partTimeTimetable),
});

/** Per ISO week (from its Monday), the possible sessions and those attended. */
function weeksOf(marks: readonly Mark[]) {
  const weeks = new Map<string, Mark[]>();
  for (const mark of marks) {
    const monday = addDays(mark.date, 1 - isoWeekday(mark.date));
    weeks.set(monday, [...(weeks.get(monday) ?? []), mark]);
  }
  return [...weeks.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([weekStart, inWeek]) => {
      const { possible, attended, rate } = figuresOf(inWeek);
      return { weekStart, possible, attended, rate };
    });
}

/** The marks in force: the last one sent for each session. */
const inForce = (...uploads: Mark[][]): Mark[] => [
  ...new Map(uploads.flat().map((m) => [`${m.pupilId}|${m.date}|${m.session}`, m])).values(),
];

const today = todayInEngland();
const yearStart = academicYearStart(today);

/** The school days of the last week up to today, within this academic year (just today in its first days). */
const schoolDays = (): string[] => {
  const back = Math.min(6, daysBetween(yearStart, today));
  const days = Array.from({ length: back + 1 }, (_, i) => addDays(today, i - back));
  const weekdays = days.filter((day) => isoWeekday(day) <= 5);
  return weekdays.length > 0 ? weekdays : [today];
};

// Each pupil's codes, school day by school day: a steady attender, one with illness, a holiday and
// unexplained absences, and one on a part-time timetable who is often absent. On the fifth day the
// school is closed for training.
const pattern: Record<string, { AM: string[]; PM: string[] }> = {
  steady: { AM: ['/', 'L', '/', '/', '#'], PM: ['\\', '\\', '\\', 'M', '#'] },
  unwell: { AM: ['N', '/', 'I', 'G', '#'], PM: ['N', '\\', 'I', 'U', '#'] },
  avoiding: { AM: ['O', 'C2', '/', 'O', '#'], PM: ['O', 'C2', 'O', '\\', '#'] },
};

describe.each(await e2eDatabases())("a school's registers over HTTP on %s", (database) => {
  let server: RunningServer;
  let api: ApiClient;
  const schoolUrn = '100002';
  const days = schoolDays();
  const pupils: Record<string, string> = {};
  let uploaded: Mark[] = [];
  let corrections: Mark[] = [];
  let uploadedAt: string;
  let correctedAt: string;

  const marksOf = (pupilId: string, marks: readonly Mark[]) => marks.filter((m) => m.pupilId === pupilId);
  const trend = async (pupilId: string, asRecordedAt?: string) => {
    const query = asRecordedAt === undefined ? '' : `?asRecordedAt=${encodeURIComponent(asRecordedAt)}`;
    const answer = await api.get(`/v1/pupils/${pupilId}/attendance${query}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const expectTrendOf = async (pupilId: string, marks: readonly Mark[], asRecordedAt?: string) => {
    const answer = await trend(pupilId, asRecordedAt);
    const own = marksOf(pupilId, marks);
    const totals = figuresOf(own);
    expect(answer).toMatchObject({
      pupilId,
      from: yearStart,
      totals,
      ...standingOf(totals),
      weeks: weeksOf(own).map((week) => expect.objectContaining(week)),
      asRecordedAt: asRecordedAt ?? null,
    });
    return answer;
  };

  beforeAll(async () => {
    server = await startServer(database);
    api = await server.as(laSystem);
  });
  afterAll(async () => server?.close());

  it('registers three pupils on the school roll since before this academic year', async () => {
    for (const [serial, name] of Object.keys(pattern).entries()) {
      pupils[name] = await registerPupil(api, serial + 1, schoolUrn, addDays(yearStart, -365));
    }
    expect(new Set(Object.values(pupils)).size).toBe(3);
  });

  it("uploads the school's marks for the days of the last week, both sessions", async () => {
    uploaded = Object.entries(pattern).flatMap(([name, codes]) =>
      days.flatMap((date, i) =>
        (['AM', 'PM'] as const).map((session) => ({
          pupilId: pupils[name]!,
          date,
          session,
          code: codes[session][i % 5]!,
        })),
      ),
    );
    const answer = await api.post('/v1/attendance/marks', { schoolUrn, marks: uploaded });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      schoolUrn,
      received: uploaded.length,
      recorded: uploaded.length,
      corrected: 0,
      unchanged: 0,
    });
    uploadedAt = answer.body.recordedAt;
    for (const pupilId of Object.values(pupils)) await expectTrendOf(pupilId, uploaded);
  });

  it('corrects two marks, each with its reason, and the trend follows', async () => {
    // Make sure the correction is recorded at a later millisecond than the upload.
    while (Date.now() <= Date.parse(uploadedAt) + 1) await new Promise((resolve) => setTimeout(resolve, 2));
    const [first] = days;
    corrections = [
      {
        pupilId: pupils.avoiding!,
        date: first!,
        session: 'AM',
        code: 'L',
        reason: 'Arrived before the register closed; marked absent in error.',
      },
      { pupilId: pupils.unwell!, date: first!, session: 'AM', code: 'I' },
    ];
    const answer = await api.post('/v1/attendance/marks', {
      schoolUrn,
      reason: 'Parent phoned: unwell that morning.',
      marks: corrections,
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      recorded: 0,
      corrected: 2,
      corrections: [
        { index: 0, previousCode: 'O', code: 'L' },
        { index: 1, previousCode: 'N', code: 'I' },
      ],
    });
    correctedAt = answer.body.recordedAt;
    expect(Date.parse(correctedAt)).toBeGreaterThan(Date.parse(uploadedAt));

    const now = inForce(uploaded, corrections);
    const avoiding = await expectTrendOf(pupils.avoiding!, now);
    const before = figuresOf(marksOf(pupils.avoiding!, uploaded));
    expect(avoiding.totals.attended).toBe(before.attended + 1);
    await expectTrendOf(pupils.unwell!, now);
    await expectTrendOf(pupils.steady!, now);
  });

  it('reads the trend as the register stood between the upload and the correction, and before both', async () => {
    const between = new Date(Math.floor((Date.parse(uploadedAt) + Date.parse(correctedAt)) / 2)).toISOString();
    for (const pupilId of Object.values(pupils)) await expectTrendOf(pupilId, uploaded, between);

    const beforeUpload = new Date(Date.parse(uploadedAt) - 1).toISOString();
    const empty = await trend(pupils.steady!, beforeUpload);
    expect(empty.totals).toMatchObject({ possible: 0, attended: 0, rate: null });
    expect(empty.weeks).toEqual([]);
  });

  it('refuses an upload with a retired code or a date outside the backdating window, and records none of it', async () => {
    const before = await Promise.all(Object.values(pupils).map((pupilId) => trend(pupilId)));
    const tomorrow = addDays(today, 1);
    const lastYear = addDays(yearStart, -1);
    const steady = pupils.steady!;
    const answer = await api.post('/v1/attendance/marks', {
      schoolUrn,
      marks: [
        { pupilId: steady, date: days[0], session: 'PM', code: 'M', reason: 'Dentist after lunch.' },
        { pupilId: steady, date: days[0], session: 'AM', code: 'H', reason: 'Family holiday.' },
        { pupilId: steady, date: tomorrow, session: 'AM', code: '/' },
        { pupilId: steady, date: lastYear, session: 'AM', code: '/' },
      ],
    });
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({ status: 422, rule: 'attendance-marks-refused' });
    expect(answer.body.detail).toMatch(/^3 of 4 marks cannot be recorded/);
    expect(answer.body.errors.map((e: { pointer: string; code: string }) => [e.pointer, e.code])).toEqual([
      ['/body/marks/1/code', 'attendance-code-current'],
      ['/body/marks/2/date', 'no-future-marks'],
      ['/body/marks/3/date', 'backdating-within-year'],
    ]);
    expect(answer.body.errors[0].detail).toMatch(/use G .* or C/);

    const after = await Promise.all(Object.values(pupils).map((pupilId) => trend(pupilId)));
    expect(after).toEqual(before);
    await expectTrendOf(steady, inForce(uploaded, corrections));
  });

  it('treats the same register sent again as changing nothing', async () => {
    const answer = await api.post('/v1/attendance/marks', { schoolUrn, marks: inForce(uploaded, corrections) });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ recorded: 0, corrected: 0, unchanged: uploaded.length });
    for (const pupilId of Object.values(pupils)) await expectTrendOf(pupilId, inForce(uploaded, corrections));
  });
});
