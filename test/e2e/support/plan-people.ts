import type { Principal } from '@small-steps/api';
import { groundworkAreas } from '@small-steps/domain';
import { testUpn as upnWithSerial } from '@small-steps/domain/testing';
import type { ApiClient } from './api-client.ts';

/** The LA's case-management system: the caller of every journey unless a test says otherwise. */
export const laSystem: Principal = { id: 'cms-bristol', role: 'la_system', tenant: '801' };

export const people = {
  pupil: { id: 'person-pupil', role: 'pupil' },
  parent: { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
  senco: { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
  keyAdult: { id: 'person-key-adult', role: 'key_adult', name: 'Ms Patel' },
} as const;

/** The pupil, a parent and the SENCo: who every agreement needs. */
export const agreedBy = [people.pupil, people.parent, people.senco];

/** Registers a Year 3 pupil with an EHC plan for SEMH, on the autism pathway (ASD need rank 2). */
export async function registerPupil(
  api: ApiClient,
  serial: number,
  schoolUrn = '100001',
  admissionDate = '2026-09-02',
): Promise<string> {
  const answer = await api.post('/v1/pupils', {
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
    admissionDate,
  });
  if (answer.status !== 201)
    throw new Error(`registering a pupil answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body.pupilId;
}

/** Posts a plan command that must succeed and returns the plan after it. */
export async function planCommand(api: ApiClient, planId: string, path: string, body?: unknown) {
  const answer = await api.post(`/v1/plans/${planId}${path}`, body);
  if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  return answer.body;
}

/** Records the pupil's and a parent's views, the two a ladder cannot be agreed without. */
export async function recordEssentialViews(api: ApiClient, planId: string, occurredOn: string): Promise<void> {
  for (const role of ['pupil', 'parent_carer']) {
    await planCommand(api, planId, '/views', {
      role,
      worries: 'Noise.',
      whatHelps: 'Quiet.',
      hopes: 'Friends.',
      occurredOn,
    });
  }
}

/** A step of a ladder a helper agrees: what differs from one to the next. */
export interface LadderStep {
  stepId: string;
  description: string;
  predictedAnxiety: number;
}

/**
 * Takes an opened plan to practising its first step, all on one day: both views, every groundwork
 * area, goal-1 and its ladder agreed, step-1 started. What benchmarks prepare before they measure.
 */
export async function practiseFirstStep(
  api: ApiClient,
  planId: string,
  occurredOn: string,
  ladder: readonly LadderStep[],
): Promise<void> {
  await recordEssentialViews(api, planId, occurredOn);
  for (const area of groundworkAreas)
    await planCommand(api, planId, `/groundwork/${area}`, { summary: 'Done.', occurredOn });
  await planCommand(api, planId, '/goals', {
    goalId: 'goal-1',
    pupilWords: 'A full day.',
    participants: agreedBy,
    occurredOn,
  });
  const step = { where: 'Gate', withWhom: 'Ms Patel', supports: [], minutes: 30, timesPerWeek: 5, dependsOn: [] };
  await planCommand(api, planId, '/goals/goal-1/steps', {
    steps: ladder.map((rung) => ({ ...step, ...rung })),
    participants: agreedBy,
    occurredOn,
  });
  await planCommand(api, planId, '/steps/step-1/start', { occurredOn });
}

export { groundworkAreas, upnWithSerial };
