/**
 * A plan as an integrator meets it in the API reference: Sam's, four weeks into practising the
 * first step of a ladder back into the classroom. Written by hand from the domain, and checked
 * against the schema by services/api/test/openapi-examples.test.ts.
 */
const attempt = (occurredOn: string, before: number, after: number, round = 1) => ({
  occurredOn,
  outcome: 'completed',
  anxietyBefore: before,
  anxietyAfter: after,
  minutes: 15,
  extendedBy: null,
  supportsUsed: ['Ear defenders'],
  pupilWords: null,
  round,
});

const attempts = [attempt('2026-10-05', 7, 5), attempt('2026-10-07', 6, 4), attempt('2026-10-12', 5, 3)];

export const planExample = {
  planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d01',
  pupilId: '3a1f7c2e-9b4d-4e6f-8a1b-2c3d4e5f6a7b',
  status: 'active',
  openedOn: '2026-09-14',
  activatedOn: '2026-09-28',
  presentingConcern: 'Has not managed a full day since half term; says the corridors are too loud.',
  keyAdult: { id: 'staff-4471', name: 'Ms Patel' },
  caseOfficer: { id: 'la-officer-12', name: 'Jo Reid' },
  settings: [{ urn: '100001', kind: 'school', joinedOn: '2026-09-14' }],
  readiness: {
    hasPupilView: true,
    hasParentView: true,
    groundwork: {
      shared_narrative: 'recorded',
      rapport: 'recorded',
      preferred_future: 'recorded',
      risk_and_protective_factors: 'recorded',
      underpinning_factors: 'waived',
    },
  },
  goals: [
    {
      goalId: 'goal-1',
      pupilWords: 'I want to be in maths with my friends.',
      agreedOn: '2026-09-28',
      achievedOn: null,
      currentStepId: 'step-1',
      ladder: [
        {
          stepId: 'step-1',
          description: 'Spend 15 minutes in the library with Ms Patel before lessons start.',
          where: 'School library',
          withWhom: 'Ms Patel',
          supports: ['Ear defenders'],
          minutes: 15,
          timesPerWeek: 3,
          predictedAnxiety: 6,
          dependsOn: [],
          label: '1',
          state: 'practising',
          isCurrent: true,
          isRevisiting: false,
          revisitedOn: null,
          agreedOn: '2026-09-28',
          startedOn: '2026-10-05',
          masteredOn: [],
          splitFrom: null,
          splitInto: [],
          withdrawal: null,
          blockedBy: [],
          attempts,
          attemptCount: 3,
          habituation: attempts.map(({ occurredOn, anxietyBefore, anxietyAfter }) => ({
            occurredOn,
            anxietyBefore,
            anxietyAfter,
          })),
        },
      ],
    },
  ],
  openBarriers: [
    {
      barrierId: 'barrier-1',
      kind: 'sensory',
      description: 'Noise in the corridors between lessons.',
      situations: ['Lesson changeover'],
      identifiedOn: '2026-09-21',
      adjustments: [
        { kind: 'reasonable_adjustment', description: 'Leaves lessons five minutes early.', occurredOn: '2026-09-28' },
      ],
      status: 'open',
      addressedOn: null,
      exclusion: null,
    },
  ],
  excludedSituations: [],
  provisionsInPlace: [{ provisionId: 'provision-1', provision: 'pre_post_brief', arrangedOn: '2026-09-28' }],
  advisories: [],
  lastReviewOn: null,
  nextReviewDue: '2026-11-09',
  partTimeTimetable: { inForce: null, agreements: [], totalDays: 0 },
  pause: null,
  closure: null,
  followUps: [],
  version: 18,
};
