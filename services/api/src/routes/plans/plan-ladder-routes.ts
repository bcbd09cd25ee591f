import {
  AgreeGoalBody,
  AgreeStepsBody,
  MasterStepBody,
  PlanGoalParams,
  PlanIdParams,
  PlanStepParams,
  RecordAttemptBody,
  RecordGoalAchievedBody,
  RevisitStepBody,
  SplitStepBody,
  StartStepBody,
  WithdrawStepBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { commandRegistrar } from './plan-command-route.ts';

const agreement = ['agreement-needs-pupil'] as const;

/** Stages 2 and 3: agree the goal and its ladder of steps, then practise them in order. */
export function ladderRoutes(app: FastifyInstance, services: Services): void {
  const command = commandRegistrar(app, services);
  command({
    url: '/v1/plans/:planId/goals',
    operationId: 'agreeGoal',
    summary: 'Agree a goal',
    description:
      'The overall goal in the pupil\'s words ("a full day at school"), agreed with the pupil, a parent and school staff.',
    rules: [...agreement, 'duplicate-id'],
    params: PlanIdParams,
    body: AgreeGoalBody,
    command: (_, facts) => ({ type: 'AgreeGoal', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/goals/:goalId/steps',
    operationId: 'agreeSteps',
    summary: 'Agree a ladder of steps for a goal',
    description:
      'Steps from the least to the most difficult, each with where, with whom, supports, minutes, times a week and the predicted anxiety. The first agreement makes the plan active; a later one adds steps after the most difficult. Neighbouring steps more than 2 points apart raise the advisory `step-too-large`.',
    rules: [
      ...agreement,
      'views-before-plan',
      'groundwork-before-plan',
      'least-to-most-difficult',
      'needs-before-exposure',
      'duplicate-id',
      'unknown-reference',
    ],
    params: PlanGoalParams,
    body: AgreeStepsBody,
    command: ({ goalId }, facts) => ({ type: 'AgreeSteps', data: { goalId, ...facts } }),
    reference: ({ goalId }) => ({ kind: 'goal', id: goalId }),
  });
  command({
    url: '/v1/plans/:planId/goals/:goalId/achievement',
    operationId: 'recordGoalAchieved',
    summary: 'Record that a goal is achieved',
    description:
      'The pupil reached the goal, in their own words if they gave them. Recording it again changes nothing.',
    rules: [],
    params: PlanGoalParams,
    body: RecordGoalAchievedBody,
    command: ({ goalId }, facts) => ({ type: 'RecordGoalAchieved', data: { goalId, ...facts } }),
    reference: ({ goalId }) => ({ kind: 'goal', id: goalId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/start',
    operationId: 'startStep',
    summary: 'Start practising the current step',
    description:
      'Practice begins on the current step: the first of its ladder not mastered, split or withdrawn, once the barriers it depends on are addressed. The body may be left out.',
    rules: ['no-skipping', 'needs-before-exposure', 'step-status'],
    params: PlanStepParams,
    body: StartStepBody,
    isBodyOptional: true,
    command: ({ stepId }) => ({ type: 'StartStep', data: { stepId } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/attempts',
    operationId: 'recordAttempt',
    summary: 'Record an attempt at a step',
    description:
      "How it went, anxiety before and after (0–10, each optional), minutes and the pupil's words. An attempt longer than agreed says who chose to stay longer; an adult's extension raises the advisory `agreed-step-stretched` until the next review.",
    rules: ['no-skipping', 'needs-before-exposure', 'agreed-step-unchanged', 'step-status'],
    params: PlanStepParams,
    body: RecordAttemptBody,
    command: ({ stepId }, facts) => ({ type: 'RecordAttempt', data: { stepId, ...facts } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/mastery',
    operationId: 'recordStepMastered',
    summary: 'Record that the pupil has mastered a step',
    description:
      'The pupil says they feel comfortable, the last 2 attempts were completed and, where rated, anxiety after was 3 or less (policy). The next step becomes current.',
    rules: ['mastery-needs-comfort', 'no-skipping', 'step-status'],
    params: PlanStepParams,
    body: MasterStepBody,
    command: ({ stepId }, facts) => ({ type: 'MasterStep', data: { stepId, ...facts } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/split',
    operationId: 'splitStep',
    summary: 'Split a stalled step into smaller steps',
    description:
      'Two or more smaller steps, agreed like any ladder, take its place in the order; the split step keeps its history.',
    rules: [
      ...agreement,
      'agreed-step-unchanged',
      'least-to-most-difficult',
      'needs-before-exposure',
      'duplicate-id',
      'unknown-reference',
      'step-status',
    ],
    params: PlanStepParams,
    body: SplitStepBody,
    command: ({ stepId }, facts) => ({ type: 'SplitStep', data: { stepId, ...facts } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/withdrawal',
    operationId: 'withdrawStep',
    summary: 'Withdraw a step by agreement',
    description:
      'The step leaves the ladder, with the reason. Its neighbours coming together may raise `step-too-large`.',
    rules: [...agreement, 'step-status'],
    params: PlanStepParams,
    body: WithdrawStepBody,
    command: ({ stepId }, facts) => ({ type: 'WithdrawStep', data: { stepId, ...facts } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
  command({
    url: '/v1/plans/:planId/steps/:stepId/revisit',
    operationId: 'revisitStep',
    summary: 'Revisit a mastered step',
    description:
      'After a holiday, a long absence or a setback, a mastered step goes back into practice beside the current step, and is mastered again the same way.',
    rules: ['step-status'],
    params: PlanStepParams,
    body: RevisitStepBody,
    command: ({ stepId }, facts) => ({ type: 'RevisitStep', data: { stepId, ...facts } }),
    reference: ({ stepId }) => ({ kind: 'step', id: stepId }),
  });
}
