import {
  CelebrateAchievementBody,
  HoldReviewBody,
  LogObservationBody,
  PlanIdParams,
  RecordFamilyContactBody,
  RecordSafeguardingReferralBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../services.ts';
import { commandRegistrar } from './plan-command-route.ts';

/** Stage 3 around the steps: reviews, celebrations, contact with the family, observations, referrals. */
export function reviewRoutes(app: FastifyInstance, services: Services): void {
  const command = commandRegistrar(app, services);
  command({
    url: '/v1/plans/:planId/reviews',
    operationId: 'holdReview',
    summary: 'Hold a review',
    description:
      "Who attended, the pupil's and the parent's voice, progress, what was celebrated, decisions and the next review date: within 6 school weeks (policy), 2 weeks while a part-time timetable runs.",
    rules: ['review-hears-pupil', 'next-review-due'],
    params: PlanIdParams,
    body: HoldReviewBody,
    command: (_, facts) => ({ type: 'HoldReview', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/celebrations',
    operationId: 'celebrateAchievement',
    summary: 'Celebrate an achievement',
    description: 'What the pupil achieved, however small.',
    rules: [],
    params: PlanIdParams,
    body: CelebrateAchievementBody,
    command: (_, facts) => ({ type: 'CelebrateAchievement', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/family-contacts',
    operationId: 'recordFamilyContact',
    summary: 'Record contact with the family',
    description: 'The channel and who made it: parents are kept informed by consistent staff.',
    rules: [],
    params: PlanIdParams,
    body: RecordFamilyContactBody,
    command: (_, facts) => ({ type: 'RecordFamilyContact', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/observations',
    operationId: 'logObservation',
    summary: 'Log an observation',
    description: 'What happened, tagged (trigger, somatic, time of day, lesson, location …), to look for patterns.',
    rules: [],
    params: PlanIdParams,
    body: LogObservationBody,
    command: (_, facts) => ({ type: 'LogObservation', data: facts }),
  });
  command({
    url: '/v1/plans/:planId/safeguarding-referrals',
    operationId: 'recordSafeguardingReferral',
    summary: 'Record that a safeguarding concern was referred',
    description:
      "That a concern was passed to the school's designated safeguarding lead, by whom and when; never the concern itself. Accepted in every open status.",
    rules: [],
    params: PlanIdParams,
    body: RecordSafeguardingReferralBody,
    command: (_, facts) => ({ type: 'RecordSafeguardingReferral', data: facts }),
  });
}
