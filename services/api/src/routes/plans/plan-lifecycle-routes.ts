import {
  AgreePartTimeTimetableBody,
  ClosePlanBody,
  EndPartTimeTimetableBody,
  PausePlanBody,
  PlanIdParams,
  RecordFollowUpBody,
  ResumePlanBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { commandRegistrar } from './plan-command-route.ts';

/** Part-time timetables, pausing and resuming, closing and following up. */
export function lifecycleRoutes(app: FastifyInstance, services: Services): void {
  const command = commandRegistrar(app, services);
  command({
    url: '/v1/plans/:planId/part-time-timetables',
    operationId: 'agreePartTimeTimetable',
    summary: 'Agree a part-time timetable',
    description:
      "Lawful only as a short-term part of a reintegration or for a medical reason: start and end (at most 8 weeks, policy), hours for each week, and the parent's agreement. An extension is a new agreement with its reason. Reviews are then due every 2 weeks.",
    rules: ['agreement-needs-pupil', 'ptt-not-for-behaviour', 'ptt-parent-agreed', 'ptt-time-limited'],
    params: PlanIdParams,
    body: AgreePartTimeTimetableBody,
    command: (_, facts) => ({ type: 'AgreePartTimeTimetable', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/part-time-timetables/end',
    operationId: 'endPartTimeTimetable',
    summary: 'End the part-time timetable in force',
    description: 'The pupil returns to a full timetable; with none in force it changes nothing.',
    rules: [],
    params: PlanIdParams,
    body: EndPartTimeTimetableBody,
    command: (_, facts) => ({ type: 'EndPartTimeTimetable', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/pause',
    operationId: 'pausePlan',
    summary: 'Pause the plan',
    description:
      'While paused the plan takes views, observations, family contacts, reviews, barriers and adjustments, but no step starts or attempts.',
    rules: [],
    params: PlanIdParams,
    body: PausePlanBody,
    command: (_, facts) => ({ type: 'PausePlan', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/resume',
    operationId: 'resumePlan',
    summary: 'Resume a paused plan',
    description: 'The plan is active again.',
    rules: [],
    params: PlanIdParams,
    body: ResumePlanBody,
    command: (_, facts) => ({ type: 'ResumePlan', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/close',
    operationId: 'closePlan',
    summary: 'Close the plan',
    description:
      'The outcome, a summary and an optional follow-up date. A part-time timetable in force ends with it; afterwards only follow-ups are recorded, and the pupil may have a new plan.',
    rules: [],
    params: PlanIdParams,
    body: ClosePlanBody,
    command: (_, facts) => ({ type: 'ClosePlan', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/follow-ups',
    operationId: 'recordFollowUp',
    summary: 'Record a follow-up after the plan closed',
    description: 'How the pupil is doing months later.',
    rules: [],
    params: PlanIdParams,
    body: RecordFollowUpBody,
    command: (_, facts) => ({ type: 'RecordFollowUp', data: facts }),
  });
}
