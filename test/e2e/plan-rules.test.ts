import { planRuleIds } from '@small-steps/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Answer, ApiClient } from './support/api-client.ts';
import { academicYearStart, addDays, daysBefore, todayInEngland } from './support/dates.ts';
import {
  agreedBy,
  groundworkAreas,
  laSystem,
  people,
  planCommand,
  recordEssentialViews,
  registerPupil,
} from './support/plan-people.ts';
import { e2eDatabases, type RunningServer, startServer } from './support/server.ts';

const step = (n: number, terms: Record<string, unknown> = {}) => ({
  stepId: `step-${n}`,
  description: `Step ${n}`,
  where: 'Resource base',
  withWhom: 'Ms Patel',
  supports: [],
  minutes: 15,
  timesPerWeek: 5,
  predictedAnxiety: n,
  dependsOn: [],
  ...terms,
});

// Each plan is set up over the days before today, as far back as this academic year allows.
const today = todayInEngland();
const on = {
  opened: daysBefore(today, 5),
  views: daysBefore(today, 4),
  groundwork: daysBefore(today, 3),
  goal: daysBefore(today, 2),
  steps: daysBefore(today, 1),
};

const timetable = {
  startsOn: today,
  endsOn: addDays(today, 53), // within the 8 weeks a timetable may run
  reason: 'reintegration',
  hoursPerWeek: [10, 15, 20, 25],
  participants: agreedBy,
  parentAgreement: { parentId: people.parent.id, agreedOn: on.steps },
};

const review = {
  attendees: agreedBy,
  progress: 'Steady.',
  decisions: 'Carry on.',
  nextReviewOn: addDays(today, 14),
  occurredOn: today,
};

const openBody = (pupilId: string, occurredOn?: string) => ({
  pupilId,
  keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
  presentingConcern: 'Has not attended since the summer.',
  ...(occurredOn === undefined ? {} : { occurredOn }),
});

describe.each(await e2eDatabases())('each rule of docs/domain.md §2, broken once over HTTP on %s', (database) => {
  let server: RunningServer;
  let api: ApiClient;
  let serial = 0;
  const broken = new Set<string>();

  beforeAll(async () => {
    server = await startServer(database);
    api = await server.as(laSystem);
  });
  afterAll(async () => server?.close());

  /** The refusal: a 422 problem whose type ends in the rule id, naming the rule, in plain words. */
  const expectRefusal = (answer: Answer, rule: string, words: string) => {
    expect(answer.status).toBe(422);
    expect(answer.headers.get('content-type')).toContain('application/problem+json');
    expect(answer.body).toMatchObject({ status: 422, type: `https://small-steps.org.uk/problems/${rule}`, rule });
    expect(answer.body.detail).toMatch(/^[A-Z][^{}[\]]+[.!]$/);
    expect(answer.body.detail).toContain(words);
    broken.add(rule);
  };

  const openPlan = async () => {
    serial++;
    const pupilId = await registerPupil(api, serial);
    const answer = await api.post('/v1/plans', openBody(pupilId, on.opened));
    return { pupilId, planId: answer.body.planId as string };
  };
  const recordViews = (planId: string) => recordEssentialViews(api, planId, on.views);
  const recordGroundwork = async (planId: string) => {
    for (const area of groundworkAreas) {
      await planCommand(api, planId, `/groundwork/${area}`, { summary: `About ${area}.`, occurredOn: on.groundwork });
    }
  };
  const agreeGoal = (planId: string) =>
    planCommand(api, planId, '/goals', {
      goalId: 'goal-1',
      pupilWords: 'A full day at school.',
      participants: agreedBy,
      occurredOn: on.goal,
    });
  const agreeSteps = (planId: string, steps: unknown[]) =>
    api.post(`/v1/plans/${planId}/goals/goal-1/steps`, { steps, participants: agreedBy, occurredOn: on.steps });

  const readyPlan = async () => {
    const { planId } = await openPlan();
    await recordViews(planId);
    await recordGroundwork(planId);
    await agreeGoal(planId);
    return planId;
  };
  const activePlan = async (steps = [step(1), step(2), step(3)]) => {
    const planId = await readyPlan();
    const agreed = await agreeSteps(planId, steps);
    if (agreed.status !== 200) throw new Error(`agreeing steps answered ${agreed.status}`);
    return planId;
  };

  it('plan-status: a plan still gathering information cannot be paused', async () => {
    const { planId } = await openPlan();
    expectRefusal(
      await api.post(`/v1/plans/${planId}/pause`, { reason: 'Ill.' }),
      'plan-status',
      'Only an active plan can be paused.',
    );
  });

  it('one-open-plan: a pupil has one open plan at a time', async () => {
    const { pupilId } = await openPlan();
    const second = await api.post('/v1/plans', {
      pupilId,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern: 'Again.',
    });
    expectRefusal(second, 'one-open-plan', 'This pupil already has an open plan');
  });

  it('agreement-needs-pupil: a goal agreed without the pupil is refused', async () => {
    const { planId } = await openPlan();
    const answer = await api.post(`/v1/plans/${planId}/goals`, {
      goalId: 'goal-1',
      pupilWords: 'A full day at school.',
      participants: [people.parent, people.senco],
    });
    expectRefusal(answer, 'agreement-needs-pupil', 'the pupil did not take part');
  });

  it("views-before-plan: steps wait for the pupil's and a parent's views", async () => {
    const { planId } = await openPlan();
    await recordGroundwork(planId);
    await agreeGoal(planId);
    expectRefusal(await agreeSteps(planId, [step(1)]), 'views-before-plan', "the pupil's view");
  });

  it('groundwork-before-plan: steps wait for all five groundwork areas', async () => {
    const { planId } = await openPlan();
    await recordViews(planId);
    await agreeGoal(planId);
    expectRefusal(await agreeSteps(planId, [step(1)]), 'groundwork-before-plan', 'still open: shared narrative');
  });

  it('least-to-most-difficult: predicted anxiety never falls along a ladder', async () => {
    const planId = await readyPlan();
    const answer = await agreeSteps(planId, [step(1, { predictedAnxiety: 4 }), step(2, { predictedAnxiety: 2 })]);
    expectRefusal(answer, 'least-to-most-difficult', 'a ladder goes from the least to the most difficult step');
  });

  it('needs-before-exposure: a step waits for the barrier it depends on', async () => {
    const planId = await readyPlan();
    await planCommand(api, planId, '/barriers', {
      barrierId: 'barrier-1',
      kind: 'sensory',
      description: 'Noise.',
      occurredOn: on.goal,
    });
    await agreeSteps(planId, [step(1, { dependsOn: ['barrier-1'] })]);
    const answer = await api.post(`/v1/plans/${planId}/steps/step-1/start`, { occurredOn: today });
    expectRefusal(answer, 'needs-before-exposure', 'needs are met before the pupil is asked to face a situation');
  });

  it('no-skipping: steps are practised in order', async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/steps/step-3/start`, { occurredOn: today });
    expectRefusal(
      answer,
      'no-skipping',
      'Step 3 cannot start while step 1 is not mastered: steps are practised in order.',
    );
  });

  it('agreed-step-unchanged: an attempt longer than agreed says who chose to stay longer', async () => {
    const planId = await activePlan();
    await planCommand(api, planId, '/steps/step-1/start', { occurredOn: today });
    const answer = await api.post(`/v1/plans/${planId}/steps/step-1/attempts`, {
      outcome: 'completed',
      minutes: 25,
      occurredOn: today,
    });
    expectRefusal(answer, 'agreed-step-unchanged', 'longer than the 15 agreed for step 1');
  });

  it('mastery-needs-comfort: a step is mastered when the pupil feels comfortable with it', async () => {
    const planId = await activePlan();
    await planCommand(api, planId, '/steps/step-1/start', { occurredOn: today });
    const answer = await api.post(`/v1/plans/${planId}/steps/step-1/mastery`, {
      pupilConfirmed: false,
      occurredOn: today,
    });
    expectRefusal(answer, 'mastery-needs-comfort', 'the pupil has not said they feel comfortable with it');
  });

  it('review-hears-pupil: a review hears the pupil and their family', async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/reviews`, { ...review, attendees: [people.senco] });
    expectRefusal(answer, 'review-hears-pupil', 'the pupil did not attend and their view was not gathered');
  });

  it('next-review-due: the next review is held within 6 school weeks', async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/reviews`, { ...review, nextReviewOn: addDays(today, 7 * 20) });
    expectRefusal(answer, 'next-review-due', 'The next review is held within 6 school weeks');
  });

  it('ptt-time-limited: a part-time timetable has an end date', async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/part-time-timetables`, { ...timetable, endsOn: null });
    expectRefusal(answer, 'ptt-time-limited', 'needs an end date: it is a short-term measure.');
  });

  it('ptt-not-for-behaviour: a part-time timetable is never for managing behaviour', async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/part-time-timetables`, {
      ...timetable,
      reason: 'behaviour management',
    });
    expectRefusal(answer, 'ptt-not-for-behaviour', 'may not be used to manage behaviour');
  });

  it("ptt-parent-agreed: a part-time timetable needs the parent's agreement", async () => {
    const planId = await activePlan();
    const answer = await api.post(`/v1/plans/${planId}/part-time-timetables`, { ...timetable, parentAgreement: null });
    expectRefusal(answer, 'ptt-parent-agreed', "needs a parent's or carer's agreement");
  });

  it('no-future-dates: a fact is dated today or earlier', async () => {
    const pupilId = await registerPupil(api, ++serial);
    const tomorrow = addDays(today, 1);
    const answer = await api.post('/v1/plans', openBody(pupilId, tomorrow));
    expectRefusal(answer, 'no-future-dates', `but ${tomorrow} is after`);
  });

  it('backdating-within-year: a fact is backdated within this academic year only, and shows as backdated', async () => {
    const pupilId = await registerPupil(api, ++serial);
    const yearStart = academicYearStart(today);
    const lastYear = addDays(yearStart, -1);
    expectRefusal(
      await api.post('/v1/plans', openBody(pupilId, lastYear)),
      'backdating-within-year',
      `A fact may be backdated within the current academic year (from 1 August) only, but ${lastYear} is before ${yearStart}.`,
    );

    const opened = await api.post('/v1/plans', openBody(pupilId, yearStart));
    expect(opened.status).toBe(201);
    await planCommand(api, opened.body.planId, '/views', {
      role: 'pupil',
      worries: 'Noise.',
      whatHelps: 'Quiet.',
      hopes: 'Friends.',
    });
    const history = (await api.get(`/v1/plans/${opened.body.planId}/events`)).body.items;
    expect(
      history.map((e: { type: string; occurredOn: string; isBackdated: boolean }) => [
        e.type,
        e.occurredOn,
        e.isBackdated,
      ]),
    ).toEqual([
      ['PlanOpened', yearStart, yearStart < today],
      ['ViewRecorded', today, false],
    ]);
  });

  it('has broken every rule of docs/domain.md §2', () => {
    expect([...broken].sort()).toEqual([...planRuleIds].sort());
  });
});
