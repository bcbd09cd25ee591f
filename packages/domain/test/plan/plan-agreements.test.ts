import { describe, expect, it } from 'vitest';
import { type PlanCommand, planDecider } from '../../src/plan/index.ts';
import {
  activeCommands,
  agreedBy,
  agreeGoal,
  agreeSteps,
  command,
  gatheringCommands,
  historyOf,
  identifyBarrier,
  ids,
  masteredCommands,
  openPlan,
  people,
  recordGroundwork,
  recordView,
  step,
  testContext,
} from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));

describe('agreement-needs-pupil', () => {
  const without = (role: string) => agreedBy.filter((p) => p.role !== role);

  it('refuses a goal agreed without the pupil', () => {
    given([openPlan()])
      .when(command('AgreeGoal', { goalId: ids.goal, pupilWords: 'A full day.', participants: without('pupil') }))
      .thenRejected('agreement-needs-pupil');
  });

  it('refuses steps agreed without a parent or carer', () => {
    given(gatheringCommands())
      .when(command('AgreeSteps', { goalId: ids.goal, steps: [step(1)], participants: without('parent_carer') }))
      .thenRejected('agreement-needs-pupil');
  });

  it('refuses steps agreed without a member of school staff', () => {
    given(gatheringCommands())
      .when(command('AgreeSteps', { goalId: ids.goal, steps: [step(1)], participants: without('senco') }))
      .thenRejected('agreement-needs-pupil');
  });

  it('counts a key adult as school staff', () => {
    given(gatheringCommands())
      .when(
        command('AgreeSteps', {
          goalId: ids.goal,
          steps: [step(1)],
          participants: [people.pupil, people.parent, people.keyAdult],
        }),
      )
      .thenAccepted();
  });

  it('refuses a split and a withdrawal agreed without the pupil', () => {
    const active = activeCommands();
    given(active)
      .when(
        command('SplitStep', {
          stepId: ids.step(2),
          reason: 'Stalled.',
          steps: [step('2a'), step('2b')],
          participants: without('pupil'),
        }),
      )
      .thenRejected('agreement-needs-pupil');
    given(active)
      .when(command('WithdrawStep', { stepId: ids.step(2), reason: 'Not needed.', participants: without('pupil') }))
      .thenRejected('agreement-needs-pupil');
  });

  it('accepts a goal agreed by the pupil, a parent and the SENCo', () => {
    const events = given([openPlan()]).when(agreeGoal('2025-09-11')).thenAccepted();
    expect(events).toEqual([
      {
        type: 'GoalAgreed',
        data: {
          goalId: ids.goal,
          pupilWords: 'A full day at school.',
          participants: agreedBy,
          occurredOn: '2025-09-11',
        },
      },
    ]);
  });
});

describe('views-before-plan', () => {
  const withoutView = (role: string) =>
    gatheringCommands().filter((c) => !(c.type === 'RecordView' && c.data.role === role));

  it("refuses steps before the pupil's view is recorded", () => {
    given(withoutView('pupil'))
      .when(agreeSteps([step(1)]))
      .thenRejected('views-before-plan');
  });

  it("refuses steps before a parent's view is recorded", () => {
    given(withoutView('parent_carer'))
      .when(agreeSteps([step(1)]))
      .thenRejected('views-before-plan');
  });

  it('accepts steps once both views are recorded', () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1)]))
      .thenAccepted();
  });
});

describe('groundwork-before-plan', () => {
  const withoutRapport = () =>
    gatheringCommands().filter((c) => !(c.type === 'RecordGroundwork' && c.data.area === 'rapport'));

  it('refuses steps while a groundwork area is neither recorded nor waived', () => {
    given(withoutRapport())
      .when(agreeSteps([step(1)]))
      .thenRejected('groundwork-before-plan');
  });

  it('accepts steps when the missing area was waived by a named adult', () => {
    const waived = command('WaiveGroundwork', {
      area: 'rapport',
      reason: 'Rapport is long established with the key adult.',
      waivedBy: { id: people.senco.id, name: 'Mr Senco', role: 'senco' },
    });
    given([...withoutRapport(), waived])
      .when(agreeSteps([step(1)]))
      .thenAccepted();
  });
});

describe('least-to-most-difficult', () => {
  it('refuses a ladder whose predicted anxiety falls from one step to the next', () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1, { predictedAnxiety: 3 }), step(2, { predictedAnxiety: 2 })]))
      .thenRejected('least-to-most-difficult');
  });

  it('refuses new steps easier than the top of the existing ladder', () => {
    given(activeCommands())
      .when(agreeSteps([step(5, { predictedAnxiety: 3 })]))
      .thenRejected('least-to-most-difficult');
  });

  it('refuses a split whose steps are harder than the next step on the ladder', () => {
    given(activeCommands())
      .when(
        command('SplitStep', {
          stepId: ids.step(2),
          reason: 'Stalled.',
          steps: [step('2a', { predictedAnxiety: 2 }), step('2b', { predictedAnxiety: 4 })],
          participants: agreedBy,
        }),
      )
      .thenRejected('least-to-most-difficult');
  });

  it('accepts equal neighbours and a split that fits between its neighbours', () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 2 })]))
      .thenAccepted();
    given(activeCommands())
      .when(
        command('SplitStep', {
          stepId: ids.step(2),
          reason: 'Stalled.',
          steps: [step('2a', { predictedAnxiety: 1 }), step('2b', { predictedAnxiety: 3 })],
          participants: agreedBy,
        }),
      )
      .thenAccepted();
  });
});

describe('step-too-large', () => {
  it('accepts with an advisory when neighbouring steps differ by more than 2 points', () => {
    const advisories = given(gatheringCommands())
      .when(agreeSteps([step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 5 })]))
      .thenAdvises('step-too-large');
    expect(advisories).toEqual([expect.objectContaining({ rule: 'step-too-large', stepId: ids.step(2) })]);
  });

  it('gives no advisory for a gap of 2 points', () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 4 })]))
      .thenAdvisesNothing();
  });

  it("follows the tenant's policy", () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1, { predictedAnxiety: 2 }), step(2, { predictedAnxiety: 4 })]), {
        policy: { ...testContext().policy, stepTooLargeGap: 1 },
      })
      .thenAdvises('step-too-large');
  });

  it('warns when withdrawing a step leaves its neighbours too far apart', () => {
    const ladder = [
      step(1, { predictedAnxiety: 2 }),
      step(2, { predictedAnxiety: 4 }),
      step(3, { predictedAnxiety: 6 }),
    ];
    given(activeCommands(ladder))
      .when(command('WithdrawStep', { stepId: ids.step(2), reason: 'Not needed.', participants: agreedBy }))
      .thenAdvises('step-too-large');
  });
});

describe('needs-before-exposure', () => {
  const excluded = (reviewOn: string | null) => [
    ...gatheringCommands(),
    identifyBarrier(),
    command(
      'ExcludeSituation',
      { barrierId: ids.barrier, situation: 'Assembly in the hall', reason: 'Always too loud.', reviewOn },
      '2025-09-11',
    ),
  ];

  it('accepts a step that depends on a barrier still open', () => {
    given([...gatheringCommands(), identifyBarrier()])
      .when(agreeSteps([step(1, { dependsOn: [ids.barrier] })]))
      .thenAccepted();
  });

  it('refuses a step that depends on a permanently excluded situation', () => {
    given(excluded(null))
      .when(agreeSteps([step(1, { dependsOn: [ids.barrier] })], '2026-09-01'))
      .thenRejected('needs-before-exposure');
  });

  it('refuses it until the review date of the exclusion, and accepts it from then', () => {
    given(excluded('2025-10-01'))
      .when(agreeSteps([step(1, { dependsOn: [ids.barrier] })], '2025-09-30'))
      .thenRejected('needs-before-exposure');
    given(excluded('2025-10-01'))
      .when(agreeSteps([step(1, { dependsOn: [ids.barrier] })], '2025-10-01'))
      .thenAccepted();
  });

  it('refuses to exclude a situation that a step on the ladder depends on', () => {
    given([...gatheringCommands(), identifyBarrier(), agreeSteps([step(1, { dependsOn: [ids.barrier] })])])
      .when(
        command('ExcludeSituation', { barrierId: ids.barrier, situation: 'Hall', reason: 'Too loud.', reviewOn: null }),
      )
      .thenRejected('needs-before-exposure');
  });
});

describe('AgreeSteps', () => {
  it('activates the plan with its first review due within 6 school weeks', () => {
    const events = given(gatheringCommands())
      .when(agreeSteps([step(1)], '2025-10-10'))
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['StepsAgreed', 'PlanActivated']);
    // 30 school days after Friday 10 October, skipping the half term of 27–31 October.
    expect(events[1]).toEqual({ type: 'PlanActivated', data: { reviewDueBy: '2025-11-28', occurredOn: '2025-10-10' } });
  });

  it('adds steps to an active plan without activating it again', () => {
    const events = given(activeCommands())
      .when(agreeSteps([step(5)]))
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['StepsAgreed']);
  });

  it('refuses an unknown goal and a step id already used', () => {
    given(gatheringCommands())
      .when(command('AgreeSteps', { goalId: 'goal-x', steps: [step(1)], participants: agreedBy }))
      .thenRejected('unknown-reference');
    given(activeCommands())
      .when(agreeSteps([step(1)]))
      .thenRejected('duplicate-id');
    given(gatheringCommands())
      .when(agreeSteps([step(1), step(1)]))
      .thenRejected('duplicate-id');
  });

  it('refuses a step depending on a barrier the plan has not identified', () => {
    given(gatheringCommands())
      .when(agreeSteps([step(1, { dependsOn: ['barrier-x'] })]))
      .thenRejected('unknown-reference');
  });
});

describe('SplitStep', () => {
  const split = (stepId: string) =>
    command('SplitStep', {
      stepId,
      reason: 'Stalled.',
      steps: [step('2a', { predictedAnxiety: 1 }), step('2b', { predictedAnxiety: 2 })],
      participants: agreedBy,
    });

  it('refuses to replace a step with a single step', () => {
    given(activeCommands())
      .when(
        command('SplitStep', {
          stepId: ids.step(2),
          reason: 'Stalled.',
          steps: [step('2a', { predictedAnxiety: 2 })],
          participants: agreedBy,
        }),
      )
      .thenRejected('agreed-step-unchanged');
  });

  it('refuses to split a step that has been mastered, or one already split', () => {
    given([...activeCommands(), ...masteredCommands(1, '2025-09-15')])
      .when(split(ids.step(1)))
      .thenRejected('step-status');
    given([...activeCommands(), split(ids.step(2))])
      .when(split(ids.step(2)))
      .thenRejected('step-status');
  });
});

describe('WithdrawStep', () => {
  it('refuses to withdraw a step twice', () => {
    const withdraw = command('WithdrawStep', { stepId: ids.step(2), reason: 'Not needed.', participants: agreedBy });
    given([...activeCommands(), withdraw])
      .when(withdraw)
      .thenRejected('step-status');
  });
});

describe('AgreeGoal', () => {
  it('refuses a goal id already used', () => {
    given([openPlan(), agreeGoal()]).when(agreeGoal()).thenRejected('duplicate-id');
  });

  it('is accepted while gathering, before any view', () => {
    given([openPlan(), recordView('pupil'), recordGroundwork('rapport')])
      .when(agreeGoal())
      .thenAccepted();
  });
});
