import { z } from 'zod';
import { personal } from '../common/personal.ts';
import { isoDate, safeText } from '../common/safe-text.ts';
import { AttemptOutcome, anxiety, Extender, itemId, participants, personalText, StepTerms } from './plan-fields.ts';
import { commandBody, factV1 } from './plan-schema-builders.ts';

const agreedBy = [
  { id: 'person-pupil', role: 'pupil' },
  { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
  { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
];
const pupilWords = personalText('pupilWords', 2000);
const reason = personalText('reason', 4000);

const goal = { goalId: itemId, pupilWords: pupilWords.meta({ description: "The goal in the pupil's words." }) };
const goalExample = { goalId: 'goal-class', pupilWords: 'Back in class with my friends.', participants: agreedBy };
export const GoalAgreedV1 = factV1('GoalAgreed', { ...goal, participants }, goalExample);
export const AgreeGoalBody = commandBody('AgreeGoalBody', { ...goal, participants }, goalExample);

const ladderExample = {
  steps: [
    {
      stepId: 'step-1',
      description: 'Mornings in the resource base with my key adult',
      where: 'Resource base',
      withWhom: 'Ms Patel',
      supports: ['Quiet room first', 'Visual timetable'],
      minutes: 60,
      timesPerWeek: 5,
      predictedAnxiety: 2,
      dependsOn: [],
    },
    {
      stepId: 'step-2',
      description: 'My favourite lesson in class',
      where: 'Class 3',
      withWhom: 'Ms Patel and the class teacher',
      supports: ['Movement break'],
      minutes: 60,
      timesPerWeek: 3,
      predictedAnxiety: 4,
      dependsOn: ['barrier-noise'],
    },
  ],
  participants: agreedBy,
};
const steps = z.array(StepTerms).min(1).max(30);
export const StepsAgreedV1 = factV1(
  'StepsAgreed',
  { goalId: itemId, steps, participants },
  {
    goalId: 'goal-class',
    ...ladderExample,
  },
);
export const AgreeStepsBody = commandBody('AgreeStepsBody', { steps, participants }, ladderExample);

export const PlanActivatedV1 = factV1('PlanActivated', { reviewDueBy: isoDate }, { reviewDueBy: '2026-10-23' });

export const StepStartedV1 = factV1('StepStarted', { stepId: itemId }, { stepId: 'step-1' });
export const StartStepBody = commandBody('StartStepBody', {}, {});

const attempt = {
  outcome: AttemptOutcome,
  anxietyBefore: anxiety.nullable().meta({ description: '0–10; null when the pupil declined to rate.' }),
  anxietyAfter: anxiety.nullable().meta({ description: '0–10; null when the pupil declined to rate.' }),
  minutes: z.number().int().min(1).max(600).nullable(),
  extendedBy: Extender.nullable().meta({
    description: 'Who chose to stay longer than the agreed minutes; required when the attempt ran longer.',
  }),
  supportsUsed: personal('supportsUsed', z.array(safeText(200)).max(20)),
  pupilWords: pupilWords.nullable(),
};
const attemptExample = {
  outcome: 'completed',
  anxietyBefore: 5,
  anxietyAfter: 3,
  minutes: 60,
  extendedBy: null,
  supportsUsed: ['Quiet room first'],
  pupilWords: 'It was OK after the first bit.',
};
export const StepAttemptedV1 = factV1(
  'StepAttempted',
  { stepId: itemId, ...attempt },
  {
    stepId: 'step-1',
    ...attemptExample,
  },
);
export const RecordAttemptBody = commandBody(
  'RecordAttemptBody',
  {
    ...attempt,
    anxietyBefore: attempt.anxietyBefore.default(null),
    anxietyAfter: attempt.anxietyAfter.default(null),
    minutes: attempt.minutes.default(null),
    extendedBy: attempt.extendedBy.default(null),
    supportsUsed: attempt.supportsUsed.default([]),
    pupilWords: attempt.pupilWords.default(null),
  },
  attemptExample,
);

const masteredExample = { pupilWords: 'Easy now.' };
export const StepMasteredV1 = factV1(
  'StepMastered',
  { stepId: itemId, pupilWords: pupilWords.nullable() },
  {
    stepId: 'step-1',
    ...masteredExample,
  },
);
export const MasterStepBody = commandBody(
  'MasterStepBody',
  {
    pupilConfirmed: z.boolean().meta({ description: 'The pupil said they feel comfortable with the step.' }),
    pupilWords: pupilWords.nullable().default(null),
  },
  { pupilConfirmed: true, ...masteredExample },
);

const splitExample = {
  reason: 'Stalled: anxiety stays high after lunch.',
  steps: [
    { ...ladderExample.steps[1], stepId: 'step-2a', description: 'Half my favourite lesson', minutes: 30 },
    { ...ladderExample.steps[1], stepId: 'step-2b', description: 'All of my favourite lesson' },
  ],
  participants: agreedBy,
};
const split = { reason, steps, participants };
export const StepSplitV1 = factV1('StepSplit', { stepId: itemId, ...split }, { stepId: 'step-2', ...splitExample });
export const SplitStepBody = commandBody('SplitStepBody', split, splitExample);

const withdrawalExample = { reason: 'Assembly is excluded from the plan.', participants: agreedBy };
export const StepWithdrawnV1 = factV1(
  'StepWithdrawn',
  { stepId: itemId, reason, participants },
  {
    stepId: 'step-3',
    ...withdrawalExample,
  },
);
export const WithdrawStepBody = commandBody('WithdrawStepBody', { reason, participants }, withdrawalExample);

const revisitExample = { reason: 'Back after two weeks off ill.' };
export const StepRevisitedV1 = factV1(
  'StepRevisited',
  { stepId: itemId, reason },
  {
    stepId: 'step-1',
    ...revisitExample,
  },
);
export const RevisitStepBody = commandBody('RevisitStepBody', { reason }, revisitExample);
