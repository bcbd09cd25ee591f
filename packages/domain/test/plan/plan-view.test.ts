import { describe, expect, it } from 'vitest';
import {
  defaultPlanPolicy,
  evolvePlan,
  initialState,
  type PlanCommand,
  type PlanEvent,
  planView,
} from '../../src/plan/index.ts';
import {
  activeCommands,
  agreeSteps,
  caseStudy002,
  gatheringCommands,
  historyOf,
  identifyBarrier,
  ids,
  masteredCommands,
  openPlan,
  step,
} from '../../src/testing/index.ts';

const viewOfEvents = (events: readonly PlanEvent[]) =>
  planView(events.reduce(evolvePlan, initialState()), defaultPlanPolicy);
const viewOf = (commands: PlanCommand[]) => viewOfEvents(historyOf(commands));

describe('the seed 002 case study replayed', () => {
  const history = historyOf(caseStudy002());

  it('ends closed, the goal achieved, every step mastered, four months of follow-up recorded', () => {
    const view = viewOfEvents(history);
    expect(view).toMatchObject({
      status: 'closed',
      openedOn: '2025-09-08',
      activatedOn: '2025-09-12',
      keyAdult: { id: 'person-key-adult', name: 'Ms Key' },
      openBarriers: [],
      excludedSituations: [],
      advisories: [],
      lastReviewOn: '2025-12-05',
      nextReviewDue: '2026-01-16',
      provisionsInPlace: [
        { provision: 'pre_post_brief' },
        { provision: 'visual_timetable' },
        { provision: 'movement_or_sensory_breaks' },
      ],
      partTimeTimetable: { inForce: null, totalDays: 54 },
      closure: { outcome: 'returned_full_time', occurredOn: '2025-12-05', followUpOn: '2026-03-20' },
      followUps: [{ occurredOn: '2026-03-20' }],
    });
    const [goal] = view?.goals ?? [];
    expect(goal).toMatchObject({ achievedOn: '2025-12-05', currentStepId: null });
    expect(goal?.ladder.map((s) => [s.label, s.state, s.masteredOn])).toEqual([
      ['1', 'mastered', ['2025-09-19']],
      ['2', 'mastered', ['2025-10-03']],
      ['3', 'mastered', ['2025-10-17']],
      ['4', 'mastered', ['2025-11-07']],
    ]);
  });

  it('keeps each step’s habituation curve: anxiety falling attempt by attempt', () => {
    const step3 = viewOfEvents(history)?.goals[0]?.ladder[2];
    expect(step3?.habituation).toEqual([
      { occurredOn: '2025-10-13', anxietyBefore: 6, anxietyAfter: 4 },
      { occurredOn: '2025-10-14', anxietyBefore: 5, anxietyAfter: 3 },
      { occurredOn: '2025-10-15', anxietyBefore: 3, anxietyAfter: 2 },
    ]);
    expect(step3?.attempts[0]).toMatchObject({ minutes: 70, extendedBy: 'pupil' });
  });

  it('shows the plan as it stood mid-way: step 2 current, the timetable running, reviews a fortnight apart', () => {
    const observed = history.findIndex((e) => e.type === 'ObservationLogged');
    const view = viewOfEvents(history.slice(0, observed + 1));
    expect(view).toMatchObject({
      status: 'active',
      nextReviewDue: '2025-10-10',
      partTimeTimetable: { inForce: { startsOn: '2025-09-15', endsOn: '2025-11-07', reason: 'reintegration' } },
    });
    expect(view?.goals[0]?.currentStepId).toBe(ids.step(2));
    expect(view?.goals[0]?.ladder.map((s) => s.state)).toEqual(['mastered', 'practising', 'agreed', 'agreed']);
  });

  it('brought the first review forward when the timetable was agreed', () => {
    const agreed = history.findIndex((e) => e.type === 'PartTimeTimetableAgreed');
    expect(viewOfEvents(history.slice(0, agreed))?.nextReviewDue).toBe('2025-10-24');
    expect(viewOfEvents(history.slice(0, agreed + 1))?.nextReviewDue).toBe('2025-09-29');
  });
});

describe('planView', () => {
  it('is null before the plan is opened', () => {
    expect(viewOfEvents([])).toBeNull();
  });

  it('shows what is still needed before steps can be agreed', () => {
    const view = viewOf([
      openPlan(),
      ...gatheringCommands().filter((c) => c.type === 'RecordView' && c.data.role === 'pupil'),
    ]);
    expect(view?.readiness).toEqual({
      hasPupilView: true,
      hasParentView: false,
      groundwork: {
        shared_narrative: 'outstanding',
        rapport: 'outstanding',
        preferred_future: 'outstanding',
        risk_and_protective_factors: 'outstanding',
        underpinning_factors: 'outstanding',
      },
    });
  });

  it('shows open barriers and the steps they block', () => {
    const view = viewOf([
      ...gatheringCommands(),
      identifyBarrier(),
      agreeSteps([step(1, { dependsOn: [ids.barrier] })]),
    ]);
    expect(view?.openBarriers.map((b) => b.barrierId)).toEqual([ids.barrier]);
    expect(view?.goals[0]?.ladder[0]).toMatchObject({ isCurrent: true, blockedBy: [ids.barrier] });
  });

  it('shows step-too-large until the larger step is mastered', () => {
    const ladder = [step(1, { predictedAnxiety: 1 }), step(2, { predictedAnxiety: 4 })];
    expect(viewOf(activeCommands(ladder))?.advisories).toEqual([
      expect.objectContaining({ rule: 'step-too-large', stepId: ids.step(2) }),
    ]);
    const mastered = [
      ...activeCommands(ladder),
      ...masteredCommands(1, '2025-09-15'),
      ...masteredCommands(2, '2025-09-22'),
    ];
    expect(viewOf(mastered)?.advisories).toEqual([]);
  });
});
