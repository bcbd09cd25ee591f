import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from './support/api-client.ts';
import { academicYearStart, addDays, daysBetween, todayInEngland } from './support/dates.ts';
import { agreedBy, groundworkAreas, laSystem, people, planCommand, registerPupil } from './support/plan-people.ts';
import { e2eDatabases, type RunningServer, startServer } from './support/server.ts';

// Seed 002's case study, dated in this academic year: a Year 3 pupil after 16 days of suspensions
// comes back through an 8-week step-up timetable and a pupil-led ladder into class.
const everyone = [...agreedBy, people.keyAdult];

// The seed's dates, Monday 7 September to Friday 20 November 2026, move by whole weeks so that the
// story ends in the week up to today: weekdays, school weeks and intervals stay as they were, and
// the facts are backdated within this academic year, as a case system catching up records them.
const today = todayInEngland();
const shift = 7 * Math.floor(daysBetween('2026-11-20', today) / 7);
const on = (seedDate: string): string => addDays(seedDate, shift);
// Eleven weeks of story fit behind today only from mid-October: before then they would reach back
// past 1 August, which backdating-within-year refuses.
const yearStart = academicYearStart(today);
const tooEarly = on('2026-09-07') < yearStart;
const title = tooEarly
  ? `seed 002 case study over HTTP on %s (skipped: its 11 weeks would begin before ${yearStart})`
  : 'seed 002 case study over HTTP on %s';

const ladderStep = (n: number, description: string, predictedAnxiety: number, terms: Record<string, unknown> = {}) => ({
  stepId: `step-${n}`,
  description,
  where: 'Class 3',
  withWhom: 'Ms Patel',
  supports: ['Pre-brief with Ms Patel', 'Movement break'],
  minutes: 60,
  timesPerWeek: 5,
  predictedAnxiety,
  dependsOn: [],
  ...terms,
});

const review = (occurredOn: string, nextReviewOn: string, progress: string) => ({
  attendees: everyone,
  pupilVoice: 'I like knowing what’s happening next.',
  parentVoice: 'We feel included in decisions now, and communication is much better.',
  progress,
  decisions: 'Carry on with the next step.',
  nextReviewOn,
  occurredOn,
});

describe.skipIf(tooEarly).each(await e2eDatabases())(title, (database) => {
  let server: RunningServer;
  let api: ApiClient;
  let pupilId: string;
  let planId: string;
  const command = (path: string, body?: unknown) => planCommand(api, planId, path, body);
  const attempts = async (stepId: string, days: [string, number, number, string?][], minutes = 60) => {
    let plan: { version: number } | undefined;
    for (const [occurredOn, anxietyBefore, anxietyAfter, outcome = 'completed'] of days) {
      plan = await command(`/steps/${stepId}/attempts`, { outcome, anxietyBefore, anxietyAfter, minutes, occurredOn });
    }
    return plan;
  };

  beforeAll(async () => {
    server = await startServer(database);
    api = await server.as(laSystem);
  });
  afterAll(async () => server?.close());

  it('registers the pupil: Year 3, an EHC plan for SEMH, on the autism pathway', async () => {
    pupilId = await registerPupil(api, 1);
    const pupil = (await api.get(`/v1/pupils/${pupilId}`)).body;
    expect(pupil).toMatchObject({
      yearGroup: '3',
      senProvision: 'E',
      primaryNeed: 'SEMH',
      needs: [{}, { need: 'ASD', rank: 2 }],
    });
  });

  it('opens a plan with the key adult and why it is needed', async () => {
    const opened = await api.post('/v1/plans', {
      pupilId,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern:
        'Significant dysregulation and 16 days of fixed-term suspensions; at risk of permanent exclusion.',
      occurredOn: on('2026-09-07'),
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('location')).toBe(`/v1/plans/${opened.body.planId}`);
    planId = opened.body.planId;
    expect(opened.body).toMatchObject({ status: 'gathering', openedOn: on('2026-09-07') });
  });

  it('gathers views from the pupil, a parent and staff', async () => {
    await command('/views', {
      role: 'pupil',
      participantId: people.pupil.id,
      worries: 'Not knowing what is happening next.',
      whatHelps: 'It helps when I can have quiet time first.',
      hopes: 'I like being back with my friends.',
      occurredOn: on('2026-09-08'),
    });
    await command('/views', {
      role: 'parent_carer',
      participantId: people.parent.id,
      worries: 'That he will be excluded for good.',
      whatHelps: 'Clear communication and the same adults.',
      hopes: 'That he looks forward to school.',
      concernsAboutPlan: 'That being asked back asks him to drop his defences.',
      occurredOn: on('2026-09-08'),
    });
    const plan = await command('/views', {
      role: 'senco',
      participantId: people.senco.id,
      worries: 'Dysregulation when routines change.',
      whatHelps: 'Co-produced planning, pupil choice and predictable routines.',
      hopes: 'Full integration into mainstream lessons.',
      occurredOn: on('2026-09-08'),
    });
    expect(plan.readiness).toMatchObject({ hasPupilView: true, hasParentView: true });
  });

  it('records the five groundwork areas, underpinning factors with an ATTEND assessment', async () => {
    for (const area of groundworkAreas) {
      const assessment =
        area === 'underpinning_factors'
          ? {
              framework: 'ATTEND',
              fields: { sensory: 'Noise in class overwhelms him.', relationships: 'Trusts Ms Patel.' },
            }
          : null;
      await command(`/groundwork/${area}`, {
        summary: `Agreed with the family: ${area}.`,
        assessment,
        occurredOn: on('2026-09-09'),
      });
    }
    const plan = (await api.get(`/v1/plans/${planId}`)).body;
    expect(Object.values(plan.readiness.groundwork)).toEqual(Array(5).fill('recorded'));
  });

  it('identifies a sensory barrier, teaches a coping strategy and arranges the support around the steps', async () => {
    await command('/barriers', {
      barrierId: 'barrier-noise',
      kind: 'sensory',
      description: 'The classroom is loud and he sits by the door.',
      situations: ['class'],
      occurredOn: on('2026-09-09'),
    });
    await command('/coping-strategies', {
      strategy: 'Zones of Regulation',
      notes: 'Used by every adult.',
      occurredOn: on('2026-09-09'),
    });
    for (const [i, provision] of ['pre_post_brief', 'visual_timetable', 'movement_or_sensory_breaks'].entries()) {
      await command('/provisions', { provisionId: `provision-${i + 1}`, provision, occurredOn: on('2026-09-09') });
    }
    const plan = (await api.get(`/v1/plans/${planId}`)).body;
    expect(plan.openBarriers.map((b: { barrierId: string }) => b.barrierId)).toEqual(['barrier-noise']);
    expect(plan.provisionsInPlace).toHaveLength(3);
  });

  it('agrees the goal and a ladder with the pupil, a parent and staff, and the plan becomes active', async () => {
    await command('/goals', {
      goalId: 'goal-class',
      pupilWords: 'Back in class with my friends.',
      participants: everyone,
      occurredOn: on('2026-09-10'),
    });
    const plan = await command('/goals/goal-class/steps', {
      participants: everyone,
      steps: [
        ladderStep(1, 'Mornings in the resource base with my key adult', 2, { where: 'Resource base' }),
        ladderStep(2, 'My favourite lesson in class', 4, { dependsOn: ['barrier-noise'] }),
        ladderStep(3, 'Morning lessons in class', 5),
        ladderStep(4, 'Full days in class with movement breaks', 6),
      ],
      occurredOn: on('2026-09-11'),
    });
    expect(plan).toMatchObject({ status: 'active', activatedOn: on('2026-09-11'), advisoriesRaised: [] });
    expect(plan.goals[0]).toMatchObject({ currentStepId: 'step-1' });
    expect(plan.goals[0].ladder[1].blockedBy).toEqual(['barrier-noise']);
  });

  it('agrees an 8-week step-up part-time timetable for reintegration, with reviews every two weeks', async () => {
    const plan = await command('/part-time-timetables', {
      startsOn: on('2026-09-14'),
      endsOn: on('2026-11-06'),
      reason: 'reintegration',
      hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
      participants: everyone,
      parentAgreement: { parentId: people.parent.id, agreedOn: on('2026-09-11') },
      occurredOn: on('2026-09-11'),
    });
    expect(plan.partTimeTimetable.inForce).toMatchObject({ reason: 'reintegration', endsOn: on('2026-11-06') });
    expect(plan.nextReviewDue).toBe(on('2026-09-28'));
  });

  it('masters the first step as his anxiety falls', async () => {
    await command('/steps/step-1/start', { occurredOn: on('2026-09-14') });
    await attempts('step-1', [
      [on('2026-09-14'), 5, 3],
      [on('2026-09-15'), 4, 2],
      [on('2026-09-16'), 3, 1],
    ]);
    const plan = await command('/steps/step-1/mastery', {
      pupilConfirmed: true,
      pupilWords: 'Easy now.',
      occurredOn: on('2026-09-18'),
    });
    const first = plan.goals[0].ladder[0];
    expect(first.habituation.map((p: { anxietyAfter: number }) => p.anxietyAfter)).toEqual([3, 2, 1]);
    expect(first).toMatchObject({ state: 'mastered', masteredOn: [on('2026-09-18')] });
    expect(plan.goals[0].currentStepId).toBe('step-2');
    await command('/family-contacts', {
      channel: 'phone',
      by: people.keyAdult,
      summary: 'A good first week.',
      occurredOn: on('2026-09-18'),
    });
  });

  it('reviews the plan two weeks in, hearing the pupil and his parent', async () => {
    const plan = await command(
      '/reviews',
      review(on('2026-09-25'), on('2026-10-09'), 'Settled mornings in the resource base.'),
    );
    expect(plan).toMatchObject({ lastReviewOn: on('2026-09-25'), nextReviewDue: on('2026-10-09') });
  });

  it('addresses the sensory barrier with a quiet room before the step that depends on it starts', async () => {
    const blocked = await api.post(`/v1/plans/${planId}/steps/step-2/start`, { occurredOn: on('2026-09-28') });
    expect(blocked.body.rule).toBe('needs-before-exposure');
    await command('/barriers/barrier-noise/adjustments', {
      kind: 'environment_change',
      description: 'A quiet room to go to before lessons, and a seat away from the door.',
      occurredOn: on('2026-09-28'),
    });
    const plan = await command('/barriers/barrier-noise/address', {
      notes: 'He uses the quiet room first.',
      occurredOn: on('2026-09-28'),
    });
    expect(plan.openBarriers).toEqual([]);
    await command('/steps/step-2/start', { occurredOn: on('2026-09-28') });
  });

  it('splits the second step when it stalls, and the smaller steps take its place', async () => {
    await attempts('step-2', [
      [on('2026-09-28'), 6, 6, 'partly'],
      [on('2026-09-29'), 6, 5, 'stopped_early'],
      [on('2026-09-30'), 7, 6, 'partly'],
    ]);
    await command('/observations', {
      what: 'Unsettled after lunch.',
      tags: ['trigger', 'time_of_day'],
      time: '13:15',
      occurredOn: on('2026-09-30'),
    });
    const plan = await command('/steps/step-2/split', {
      reason: 'Stalled: anxiety stays high through the whole lesson.',
      participants: everyone,
      steps: [
        ladderStep(21, 'The first half of my favourite lesson', 3, { stepId: 'step-2a', minutes: 30 }),
        ladderStep(22, 'All of my favourite lesson', 4, { stepId: 'step-2b' }),
      ],
      occurredOn: on('2026-10-02'),
    });
    const ladder = plan.goals[0].ladder.map((s: { label: string; state: string }) => `${s.label} ${s.state}`);
    expect(ladder).toEqual(['1 mastered', '2 split', '2.1 agreed', '2.2 agreed', '3 agreed', '4 agreed']);
    expect(plan.goals[0].ladder[1].attempts).toHaveLength(3);
    expect(plan.goals[0].currentStepId).toBe('step-2a');
  });

  it('masters the smaller steps and the rest of the ladder, reviewing every two weeks', async () => {
    await command('/steps/step-2a/start', { occurredOn: on('2026-10-05') });
    await attempts(
      'step-2a',
      [
        [on('2026-10-05'), 5, 3],
        [on('2026-10-06'), 4, 2],
        [on('2026-10-07'), 3, 1],
      ],
      30,
    );
    await command('/steps/step-2a/mastery', { pupilConfirmed: true, occurredOn: on('2026-10-07') });
    await command('/reviews', review(on('2026-10-09'), on('2026-10-23'), 'Half of his favourite lesson in class.'));
    await command('/steps/step-2b/start', { occurredOn: on('2026-10-12') });
    await attempts('step-2b', [
      [on('2026-10-12'), 5, 3],
      [on('2026-10-13'), 4, 2],
    ]);
    await command('/steps/step-2b/mastery', { pupilConfirmed: true, occurredOn: on('2026-10-14') });
    await command('/celebrations', { what: 'Stayed for the whole art lesson.', occurredOn: on('2026-10-14') });
    await command('/steps/step-3/start', { occurredOn: on('2026-10-15') });
    await attempts('step-3', [
      [on('2026-10-15'), 5, 3],
      [on('2026-10-16'), 4, 2],
      [on('2026-10-19'), 3, 1],
    ]);
    await command('/steps/step-3/mastery', { pupilConfirmed: true, occurredOn: on('2026-10-20') });
    await command('/reviews', review(on('2026-10-23'), on('2026-11-06'), 'Mornings in class.'));
    await command('/steps/step-4/start', { occurredOn: on('2026-11-02') });
    await attempts('step-4', [
      [on('2026-11-02'), 4, 2],
      [on('2026-11-03'), 3, 1],
    ]);
    const plan = await command('/steps/step-4/mastery', {
      pupilConfirmed: true,
      pupilWords: 'I like being back with my friends.',
      occurredOn: on('2026-11-05'),
    });
    const states = plan.goals[0].ladder.map((s: { state: string }) => s.state);
    expect(states).toEqual(['mastered', 'split', 'mastered', 'mastered', 'mastered', 'mastered']);
    expect(plan.goals[0].currentStepId).toBeNull();
  });

  it('ends the part-time timetable after its 8 weeks and returns to reviews within 6 school weeks', async () => {
    const ended = await command('/part-time-timetables/end', {
      reason: 'Full time from 9 November.',
      occurredOn: on('2026-11-06'),
    });
    expect(ended.partTimeTimetable).toMatchObject({ inForce: null, totalDays: 54 });
    const plan = await command('/reviews', review(on('2026-11-06'), on('2026-11-20'), 'Full days in class.'));
    expect(plan.nextReviewDue).toBe(on('2026-11-20'));
  });

  it('records the goal achieved and closes the plan with its outcome and a follow-up date', async () => {
    await command('/reviews', review(on('2026-11-20'), on('2026-12-04'), 'Attends full time with minimal disruption.'));
    await command('/goals/goal-class/achievement', {
      pupilWords: 'I like being back with my friends.',
      occurredOn: on('2026-11-20'),
    });
    const plan = await command('/close', {
      outcome: 'returned_full_time',
      summary: 'Fully integrated into mainstream lessons with peers.',
      followUpOn: on('2027-03-19'),
      occurredOn: on('2026-11-20'),
    });
    expect(plan).toMatchObject({
      status: 'closed',
      goals: [{ achievedOn: on('2026-11-20') }],
      closure: { outcome: 'returned_full_time', followUpOn: on('2027-03-19') },
    });
  });

  it('records a follow-up on how he is doing, dated today when no date is given', async () => {
    const plan = await command('/follow-ups', {
      summary: 'Attends full time, uses self-regulation strategies independently; daily check-ins continue.',
    });
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());
    expect(plan.followUps).toEqual([{ occurredOn: today, summary: expect.stringContaining('full time') }]);
    const refused = await api.post(`/v1/plans/${planId}/observations`, { what: 'After closing.' });
    expect(refused.body.rule).toBe('plan-status');
  });

  it('keeps the whole story in the history, and shows the plan as it stood before the split', async () => {
    const history = (await api.get(`/v1/plans/${planId}/events?limit=200`)).body.items;
    const live = (await api.get(`/v1/plans/${planId}`)).body;
    expect(history).toHaveLength(live.version);
    expect(history.every((e: { actor: { id: string } }) => e.actor.id === laSystem.id)).toBe(true);
    for (const event of history) expect(event.isBackdated, event.type).toBe(event.occurredOn < today);
    expect(history[0]).toMatchObject({ type: 'PlanOpened', occurredOn: on('2026-09-07'), isBackdated: true });
    expect(history.at(-1)).toMatchObject({ type: 'FollowUpRecorded', isBackdated: false });
    const split = history.find((e: { type: string }) => e.type === 'StepSplit');
    expect(split).toMatchObject({
      occurredOn: on('2026-10-02'),
      reason: 'Stalled: anxiety stays high through the whole lesson.',
    });

    const justBefore = new Date(Date.parse(split.recordedAt) - 1).toISOString();
    const then = (await api.get(`/v1/plans/${planId}?asOf=${justBefore}`)).body;
    expect(then.version).toBeLessThan(split.version);
    expect(then.goals[0].ladder.map((s: { label: string }) => s.label)).toEqual(['1', '2', '3', '4']);
    const latest = history.at(-1).recordedAt;
    expect((await api.get(`/v1/plans/${planId}?asOf=${latest}`)).body).toEqual(live);
  });
});
