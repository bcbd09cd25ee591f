import { describe, expect, it } from 'vitest';
import { evolvePlan, initialState, type PlanCommand, planDecider, planView } from '../../src/plan/index.ts';
import {
  activeCommands,
  agreedBy,
  agreeSteps,
  command,
  gatheringCommands,
  historyOf,
  identifyBarrier,
  ids,
  masteredCommands,
  masterStep,
  recordAttempt,
  startStep,
  step,
  testContext,
} from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));
const viewOf = (commands: PlanCommand[]) =>
  planView(historyOf(commands).reduce(evolvePlan, initialState()), testContext().policy);

describe('no-skipping', () => {
  it('refuses to start a step while the one before it is not mastered', () => {
    given(activeCommands()).when(startStep(3)).thenRejected('no-skipping');
    expect(given(activeCommands()).when(startStep(3)).decision).toMatchObject({
      reason: 'Step 3 cannot start while step 1 is not mastered: steps are practised in order.',
    });
  });

  it('starts the current step: the first not mastered, split or withdrawn', () => {
    given(activeCommands())
      .when(startStep(1, '2025-09-15'))
      .thenEmits([{ type: 'StepStarted', data: { stepId: ids.step(1), occurredOn: '2025-09-15' } }]);
    given([...activeCommands(), ...masteredCommands(1, '2025-09-15')])
      .when(startStep(2))
      .thenAccepted();
  });

  it('moves past withdrawn and split steps', () => {
    const withdrawn = command('WithdrawStep', { stepId: ids.step(1), reason: 'Not needed.', participants: agreedBy });
    given([...activeCommands(), withdrawn])
      .when(startStep(2))
      .thenAccepted();
    const split = command('SplitStep', {
      stepId: ids.step(1),
      reason: 'Stalled.',
      steps: [step('1a', { predictedAnxiety: 0 }), step('1b', { predictedAnxiety: 1 })],
      participants: agreedBy,
    });
    given([...activeCommands(), split])
      .when(startStep('1a'))
      .thenAccepted();
    given([...activeCommands(), split])
      .when(startStep('1b'))
      .thenRejected('no-skipping');
  });

  it('refuses an attempt at a step not yet started', () => {
    given(activeCommands()).when(recordAttempt(1)).thenRejected('no-skipping');
  });

  it('refuses to master a step not yet started', () => {
    given(activeCommands()).when(masterStep(1)).thenRejected('no-skipping');
  });

  it('lets a mastered step be practised again at any time', () => {
    const events = given([...activeCommands(), ...masteredCommands(1, '2025-09-15'), startStep(2, '2025-09-16')])
      .when(recordAttempt(1, {}, '2025-09-17'))
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['StepAttempted']);
  });

  it('treats starting a started or mastered step as a repeat that changes nothing', () => {
    given([...activeCommands(), startStep(1)])
      .when(startStep(1))
      .thenEmits([]);
    given([...activeCommands(), ...masteredCommands(1, '2025-09-15')])
      .when(startStep(1))
      .thenEmits([]);
  });

  it('refuses to start or attempt a withdrawn step', () => {
    const withdrawn = command('WithdrawStep', { stepId: ids.step(1), reason: 'Not needed.', participants: agreedBy });
    given([...activeCommands(), startStep(1), withdrawn])
      .when(startStep(1))
      .thenRejected('step-status');
    given([...activeCommands(), startStep(1), withdrawn])
      .when(recordAttempt(1))
      .thenRejected('step-status');
  });

  it('refuses an unknown step', () => {
    given(activeCommands()).when(startStep(9)).thenRejected('unknown-reference');
  });
});

describe('needs-before-exposure', () => {
  const dependent = [
    ...gatheringCommands(),
    identifyBarrier(),
    agreeSteps([step(1, { dependsOn: [ids.barrier] })], '2025-09-12'),
  ];
  const addressed = command('AddressBarrier', { barrierId: ids.barrier, notes: null });

  it('refuses to start a step while a barrier it depends on is open', () => {
    given(dependent).when(startStep(1)).thenRejected('needs-before-exposure');
  });

  it('starts the step once the barrier is addressed', () => {
    given([...dependent, addressed])
      .when(startStep(1))
      .thenAccepted();
  });

  it('guards an attempt even when old history started the step with its barrier open', () => {
    // Old history, before the rule: evolve replays it, decide still guards the next attempt.
    const history = [
      ...historyOf(dependent),
      { type: 'StepStarted', data: { stepId: ids.step(1), occurredOn: '2025-09-15' } },
    ] as const;
    spec
      .given(...history)
      .when(recordAttempt(1))
      .thenRejected('needs-before-exposure');
  });
});

describe('agreed-step-unchanged', () => {
  const practising = [...activeCommands(), startStep(1)];

  it('refuses an attempt longer than agreed that does not say who chose to stay longer', () => {
    given(practising)
      .when(recordAttempt(1, { minutes: 15 }))
      .thenRejected('agreed-step-unchanged');
  });

  it('records a longer attempt the pupil chose, without an advisory', () => {
    given(practising)
      .when(recordAttempt(1, { minutes: 15, extendedBy: 'pupil' }))
      .thenAdvisesNothing();
  });

  it('records an attempt within the agreed minutes and drops a needless extendedBy', () => {
    const [attempted] = given(practising)
      .when(recordAttempt(1, { minutes: 10, extendedBy: 'adult' }))
      .thenAccepted();
    expect(attempted).toMatchObject({ type: 'StepAttempted', data: { minutes: 10, extendedBy: null } });
  });
});

describe('agreed-step-stretched', () => {
  const practising = [...activeCommands(), startStep(1, '2025-09-15')];
  const stretched = recordAttempt(1, { minutes: 20, extendedBy: 'adult' }, '2025-09-15');
  const review = (on: string) =>
    command(
      'HoldReview',
      {
        attendees: agreedBy,
        pupilViewGathered: false,
        parentConsulted: false,
        pupilVoice: null,
        parentVoice: null,
        progress: 'Going well.',
        celebrated: null,
        decisions: 'Keep to the agreed minutes.',
        nextReviewOn: '2025-10-10',
      },
      on,
    );

  it('records an attempt an adult extended, as it happened, with the advisory', () => {
    const [advisory] = given(practising).when(stretched).thenAdvises('agreed-step-stretched');
    expect(advisory).toMatchObject({ stepId: ids.step(1) });
  });

  it('keeps the advisory on the plan view until the next review', () => {
    const advisoriesOf = (commands: PlanCommand[]) => viewOf(commands)?.advisories.map((a) => a.rule);
    expect(advisoriesOf([...practising, stretched])).toEqual(['agreed-step-stretched']);
    expect(advisoriesOf([...practising, stretched, review('2025-09-26')])).toEqual([]);
  });
});

describe('mastery-needs-comfort', () => {
  const practising = [...activeCommands(), startStep(1, '2025-09-15')];
  const easy = recordAttempt(1, { anxietyAfter: 2 });

  it('refuses mastery without the pupil saying they feel comfortable', () => {
    given([...practising, easy, easy])
      .when(command('MasterStep', { stepId: ids.step(1), pupilConfirmed: false, pupilWords: null }))
      .thenRejected('mastery-needs-comfort');
  });

  it('refuses mastery after fewer than 2 completed attempts', () => {
    given([...practising, easy])
      .when(masterStep(1))
      .thenRejected('mastery-needs-comfort');
    given([...practising, easy, recordAttempt(1, { outcome: 'partly' })])
      .when(masterStep(1))
      .thenRejected('mastery-needs-comfort');
  });

  it('does not count attempts that did not happen', () => {
    const notAttempted = recordAttempt(1, {
      outcome: 'not_attempted',
      anxietyBefore: null,
      anxietyAfter: null,
      minutes: null,
    });
    given([...practising, easy, notAttempted])
      .when(masterStep(1))
      .thenRejected('mastery-needs-comfort');
    given([...practising, easy, notAttempted, easy])
      .when(masterStep(1))
      .thenAccepted();
  });

  it('refuses mastery when anxiety after was above 3', () => {
    given([...practising, easy, recordAttempt(1, { anxietyAfter: 4 })])
      .when(masterStep(1))
      .thenRejected('mastery-needs-comfort');
  });

  it('accepts when the pupil declined to rate anxiety', () => {
    given([...practising, easy, recordAttempt(1, { anxietyAfter: null })])
      .when(masterStep(1))
      .thenAccepted();
  });

  it('follows the tenant policy for attempts and anxiety', () => {
    const policy = { ...testContext().policy, masteryAttempts: 3 };
    given([...practising, easy, easy])
      .when(masterStep(1), { policy })
      .thenRejected('mastery-needs-comfort');
  });

  it('makes the next step current', () => {
    const view = viewOf([...activeCommands(), ...masteredCommands(1, '2025-09-15')]);
    expect(view?.goals[0]?.currentStepId).toBe(ids.step(2));
  });
});

describe('RevisitStep', () => {
  const revisit = command(
    'RevisitStep',
    { stepId: ids.step(1), reason: 'After the Christmas holidays.' },
    '2026-01-05',
  );
  const history = [...activeCommands(), ...masteredCommands(1, '2025-09-15'), ...masteredCommands(2, '2025-09-22')];

  it('puts a mastered step back into practice without changing the current step', () => {
    given(history).when(revisit).thenAccepted();
    const view = viewOf([...history, revisit]);
    expect(view?.goals[0]?.currentStepId).toBe(ids.step(3));
    expect(view?.goals[0]?.ladder[0]).toMatchObject({ state: 'practising', isRevisiting: true });
  });

  it('never blocks later steps', () => {
    given([...history, revisit])
      .when(startStep(3, '2026-01-05'))
      .thenAccepted();
  });

  it('is mastered again the same way, counting only attempts since the revisit', () => {
    given([...history, revisit])
      .when(masterStep(1, '2026-01-06'))
      .thenRejected('mastery-needs-comfort');
    given([...history, revisit, recordAttempt(1), recordAttempt(1)])
      .when(masterStep(1))
      .thenAccepted();
  });

  it('refuses to revisit a step not mastered', () => {
    given(activeCommands())
      .when(command('RevisitStep', { stepId: ids.step(3), reason: 'Setback.' }))
      .thenRejected('step-status');
  });
});

describe('StepSplit', () => {
  it('puts the smaller steps in the split step’s place, which keeps its history', () => {
    const split = command('SplitStep', {
      stepId: ids.step(2),
      reason: 'Stalled after six attempts.',
      steps: [step('2a', { predictedAnxiety: 1 }), step('2b', { predictedAnxiety: 2 })],
      participants: agreedBy,
    });
    const history = [
      ...activeCommands(),
      ...masteredCommands(1, '2025-09-15'),
      startStep(2),
      recordAttempt(2, { outcome: 'stopped_early' }),
      split,
    ];
    const ladder = viewOf(history)?.goals[0]?.ladder ?? [];
    expect(ladder.map((s) => [s.label, s.state])).toEqual([
      ['1', 'mastered'],
      ['2', 'split'],
      ['2.1', 'agreed'],
      ['2.2', 'agreed'],
      ['3', 'agreed'],
      ['4', 'agreed'],
    ]);
    expect(ladder[1]?.attempts).toHaveLength(1);
    expect(viewOf(history)?.goals[0]?.currentStepId).toBe(ids.step('2a'));
  });
});
