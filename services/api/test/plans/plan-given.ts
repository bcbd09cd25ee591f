import { groundworkAreas } from '@small-steps/domain';
import { testUpn as upnWithSerial } from '@small-steps/domain/testing';

import type { LightMyRequestResponse } from 'fastify';
import type { Principal } from '../../src/auth/principal.ts';
import { officer, type TestApp } from '../fixtures/test-app.ts';

/** The people of the plans these tests open: who every agreement needs. */
export const people = {
  pupil: { id: 'person-pupil', role: 'pupil' },
  parent: { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
  senco: { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
  keyAdult: { id: 'person-key-adult', role: 'key_adult', name: 'Ms Patel' },
} as const;
export const agreedBy = [people.pupil, people.parent, people.senco];

/** A step of a ladder; only what a test is about needs saying. */
export const step = (n: number | string, terms: Record<string, unknown> = {}) => ({
  stepId: `step-${n}`,
  description: `Step ${n}`,
  where: 'Resource base',
  withWhom: 'Ms Patel',
  supports: [],
  minutes: 15,
  timesPerWeek: 5,
  predictedAnxiety: Number(n),
  dependsOn: [],
  ...terms,
});

export const attempt = (fields: Record<string, unknown> = {}) => ({
  outcome: 'completed',
  anxietyBefore: 4,
  anxietyAfter: 2,
  minutes: 15,
  ...fields,
});

export const review = (occurredOn: string, nextReviewOn: string, fields: Record<string, unknown> = {}) => ({
  attendees: agreedBy,
  pupilVoice: 'It is getting easier.',
  parentVoice: 'We feel included.',
  progress: 'Steady.',
  decisions: 'Carry on.',
  nextReviewOn,
  occurredOn,
  ...fields,
});

export interface Request {
  as?: Principal;
  headers?: Record<string, string>;
}

/** Plans over `app.inject`: requests as a principal, and plans given at each stage. */
export function plansOf(t: TestApp) {
  let serial = 0;
  const headers = async ({ as = officer, headers = {} }: Request) => ({
    authorization: `Bearer ${await t.token(as)}`,
    ...headers,
  });
  const post = async (url: string, payload?: object, request: Request = {}): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'POST', url, headers: await headers(request), ...(payload ? { payload } : {}) });
  const get = async (url: string, request: Request = {}): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'GET', url, headers: await headers(request) });

  /** Posts a command that must succeed, and returns the plan after it. */
  const command = async (planId: string, path: string, payload?: object, request: Request = {}) => {
    const response = await post(`/v1/plans/${planId}${path}`, payload, request);
    if (response.statusCode !== 200) throw new Error(`${path} answered ${response.statusCode}: ${response.body}`);
    return response.json();
  };

  /** A Year 3 pupil with an EHC plan for SEMH, on the roll of `schoolUrn`. */
  const registerPupil = async (schoolUrn = '100001'): Promise<string> => {
    serial++;
    const response = await post('/v1/pupils', {
      upn: upnWithSerial(serial),
      givenName: 'Sam',
      familyName: 'Taylor',
      dateOfBirth: '2018-03-14',
      yearGroup: '3',
      senProvision: 'E',
      needs: [
        { need: 'SEMH', rank: 1 },
        { need: 'ASD', rank: 2 },
      ],
      schoolUrn,
      admissionDate: '2026-09-02',
    });
    if (response.statusCode !== 201) throw new Error(`pupil answered ${response.statusCode}: ${response.body}`);
    return response.json().pupilId;
  };

  const openBody = (pupilId: string) => ({
    pupilId,
    keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
    presentingConcern: 'Has not attended since the summer.',
    occurredOn: '2026-09-07',
  });

  /** A new pupil's plan, just opened on Monday 7 September 2026. */
  const openPlan = async (schoolUrn = '100001'): Promise<string> => {
    const response = await post('/v1/plans', openBody(await registerPupil(schoolUrn)));
    if (response.statusCode !== 201) throw new Error(`open answered ${response.statusCode}: ${response.body}`);
    return response.json().planId;
  };

  /** Opened, with the pupil's and a parent's views, all five groundwork areas and a goal: ready for a ladder. */
  const readyPlan = async (schoolUrn = '100001'): Promise<string> => {
    const planId = await openPlan(schoolUrn);
    const view = { worries: 'The noise.', whatHelps: 'Quiet.', hopes: 'To see friends.', occurredOn: '2026-09-08' };
    await command(planId, '/views', { role: 'pupil', participantId: people.pupil.id, ...view });
    await command(planId, '/views', { role: 'parent_carer', participantId: people.parent.id, ...view });
    for (const area of groundworkAreas) {
      await command(planId, `/groundwork/${area}`, { summary: `About ${area}.`, occurredOn: '2026-09-09' });
    }
    await command(planId, '/goals', {
      goalId: 'goal-1',
      pupilWords: 'A full day at school.',
      participants: agreedBy,
      occurredOn: '2026-09-10',
    });
    return planId;
  };

  /** Active, with steps 1–4 agreed for the goal on Friday 11 September 2026. */
  const activePlan = async (steps = [1, 2, 3, 4].map((n) => step(n)), schoolUrn = '100001'): Promise<string> => {
    const planId = await readyPlan(schoolUrn);
    await command(planId, '/goals/goal-1/steps', { steps, participants: agreedBy, occurredOn: '2026-09-11' });
    return planId;
  };

  /** Step `n` started and mastered with two easy attempts on `day`. */
  const masterStep = async (planId: string, n: number | string, day: string) => {
    await command(planId, `/steps/step-${n}/start`, { occurredOn: day });
    await command(planId, `/steps/step-${n}/attempts`, { ...attempt(), occurredOn: day });
    await command(planId, `/steps/step-${n}/attempts`, { ...attempt(), occurredOn: day });
    return command(planId, `/steps/step-${n}/mastery`, { pupilConfirmed: true, occurredOn: day });
  };

  return { post, get, command, registerPupil, openBody, openPlan, readyPlan, activePlan, masterStep };
}

export { groundworkAreas, upnWithSerial };
