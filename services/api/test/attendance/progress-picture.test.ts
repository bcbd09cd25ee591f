import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, staffAt } from '../fixtures/test-app.ts';
import { agreedBy, attempt, people, plansOf, review, step } from '../plans/plan-given.ts';
import { attendanceOf, type ClockedApp, register, startClockedApp, weekdays } from './attendance-given.ts';

// Friday 16 October 2026, 4 pm in England.
const NOW = '2026-10-16T15:00:00.000Z';

describeEachDatabase('progress picture', (factory) => {
  let t: ClockedApp;
  let a: ReturnType<typeof attendanceOf>;
  let pupilId: string;

  /**
   * Seed 002's shape: a pupil missing most of September until a plan opens on 7 September, a
   * part-time timetable from 14 September (afternoons C2) to 9 October, steps 1 and 2 mastered, a
   * review on 28 September and step 3 being practised.
   */
  beforeAll(async () => {
    t = await startClockedApp(factory, NOW);
    a = attendanceOf(t);
    const plans = plansOf(t);
    const planId = await plans.activePlan([
      step(1, { description: 'Come to the school gate with Mum after lunch', predictedAnxiety: 3 }),
      step(2, { description: 'Mornings in the resource base with Ms Patel', predictedAnxiety: 5 }),
      step(3, { description: 'Morning registration with my class', predictedAnxiety: 7 }),
      step(4, { description: 'A full day with my class', predictedAnxiety: 9 }),
    ]);
    const plan = (await plans.get(`/v1/plans/${planId}`)).json();
    pupilId = plan.pupilId;
    await plans.command(planId, '/part-time-timetables', {
      startsOn: '2026-09-14',
      endsOn: '2026-11-06',
      reason: 'reintegration',
      hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
      participants: agreedBy,
      parentAgreement: { parentId: people.parent.id, agreedOn: '2026-09-11' },
      occurredOn: '2026-09-11',
    });
    const practise = async (n: number, days: [string, number, number][]) => {
      await plans.command(planId, `/steps/step-${n}/start`, { occurredOn: days[0]![0] });
      for (const [day, before, after] of days) {
        await plans.command(planId, `/steps/step-${n}/attempts`, {
          ...attempt({ anxietyBefore: before, anxietyAfter: after }),
          occurredOn: day,
        });
      }
    };
    await practise(1, [
      ['2026-09-14', 7, 6],
      ['2026-09-15', 6, 5],
      ['2026-09-16', 5, 3],
      ['2026-09-17', 4, 2],
    ]);
    await plans.command(planId, '/steps/step-1/mastery', { pupilConfirmed: true, occurredOn: '2026-09-18' });
    await practise(2, [
      ['2026-09-21', 8, 7],
      ['2026-09-22', 7, 6],
      ['2026-09-24', 7, 5],
      ['2026-09-28', 6, 4],
      ['2026-09-30', 5, 3],
      ['2026-10-01', 4, 2],
    ]);
    await plans.command(planId, '/steps/step-2/mastery', { pupilConfirmed: true, occurredOn: '2026-10-02' });
    await plans.command(planId, '/reviews', review('2026-09-28', '2026-10-09'));
    await practise(3, [
      ['2026-10-05', 9, 8],
      ['2026-10-07', 8, 7],
      ['2026-10-09', 8, 6],
      ['2026-10-13', 7, 5],
      ['2026-10-15', 6, 5],
    ]);
    await plans.command(planId, '/part-time-timetables/end', {
      reason: 'Full time from Monday.',
      occurredOn: '2026-10-09',
    });

    const absent = Object.fromEntries(
      weekdays('2026-09-02', '2026-09-11').flatMap((day, i) => [
        [`${day} AM`, i % 3 === 0 ? '/' : 'N'],
        [`${day} PM`, i % 4 === 1 ? 'I' : 'O'],
      ]),
    );
    const timetable = Object.fromEntries(weekdays('2026-09-14', '2026-10-09').map((day) => [`${day} PM`, 'C2']));
    const marks = register(pupilId, weekdays('2026-09-02', '2026-10-16'), {
      ...absent,
      ...timetable,
      '2026-09-22 AM': 'I',
      '2026-10-06 AM': 'M',
    });
    const recorded = await a.mark(marks);
    if (recorded.statusCode !== 200) throw new Error(recorded.body);
  });
  afterAll(async () => t?.close());

  it('lays the plan over the trend: opened, timetable, steps mastered, review, and each month since', async () => {
    const trend = (await a.trend(pupilId)).json();
    expect(trend.markers.map((m: { date: string; kind: string }) => [m.date, m.kind])).toEqual([
      ['2026-09-07', 'plan_opened'],
      ['2026-09-14', 'part_time_timetable_started'],
      ['2026-09-18', 'step_mastered'],
      ['2026-09-28', 'review_held'],
      ['2026-10-02', 'step_mastered'],
      ['2026-10-09', 'part_time_timetable_ended'],
    ]);
    expect(trend.sincePlanOpened).toMatchObject({
      openedOn: '2026-09-07',
      before: { possible: 6, attended: 1 },
      months: [{ month: '2026-09' }, { month: '2026-10' }],
    });
    expect(trend.totals.partTimeTimetable).toBe(20);
  });

  it('draws an SVG for a review that names no one', async () => {
    const response = await a.picture(pupilId);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/svg+xml; charset=utf-8');
    const svg = response.body;
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg /);
    expect(svg).toContain('Year 3 pupil');
    expect(svg).toContain('Step 1 mastered');
    expect(svg).toContain('Review meeting');
    expect(svg).toContain('Mornings in the resource base with Ms Patel');
    for (const personal of ['Sam', 'Taylor', '2018-03-14']) expect(svg).not.toContain(personal);
    if (process.env.PROGRESS_SVG_OUT) await writeFile(process.env.PROGRESS_SVG_OUT, svg);
  });

  it("shows school staff their pupil's picture, and nobody else's", async () => {
    expect((await a.picture(pupilId, 'year=2026', staffAt('100001'))).statusCode).toBe(200);
    const elsewhere = await a.picture(pupilId, 'year=2026', staffAt('100002'));
    expect(elsewhere.statusCode).toBe(404);
    expect(elsewhere.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
