import { expect } from 'vitest';
import type { Decision } from '../../src/decision.ts';
import {
  decidePupil,
  evolvePupil,
  initialPupilState,
  type PupilCommand,
  type PupilEvent,
  type PupilRegistered,
  type RegisterPupil,
} from '../../src/pupil/index.ts';
import { createLaCodeRegistry, LA_CODES_ENGLAND } from '../../src/upn/index.ts';

// A local given/when/then until the shared helper (test/given-when-then.ts) lands.
export const laCodes = createLaCodeRegistry(LA_CODES_ENGLAND);

export const PUPIL_ID = '00000000-0000-4000-8000-000000000001';
export const SCHOOL_URN = '100001';
export const OTHER_SCHOOL_URN = '100002';
export const UPN = 'H801200001001';

export const given = (...history: PupilEvent[]) => ({
  when: (command: PupilCommand): Decision<PupilEvent> =>
    decidePupil(command, history.reduce(evolvePupil, initialPupilState()), { laCodes }),
});

export const thenAccepted = (decision: Decision<PupilEvent>, events: PupilEvent[]) =>
  expect(decision).toEqual({ outcome: 'accepted', events });

export const thenRejected = (decision: Decision<PupilEvent>, rule: string) =>
  expect(decision).toMatchObject({ outcome: 'rejected', rule });

export const registerPupil = (data: Partial<RegisterPupil['data']> = {}): RegisterPupil => ({
  type: 'RegisterPupil',
  data: {
    pupilId: PUPIL_ID,
    givenName: 'Amira',
    familyName: 'Example',
    dateOfBirth: '2016-03-14',
    upn: UPN,
    yearGroup: '4',
    senProvision: 'K',
    needs: [{ need: 'SEMH', rank: 1 }],
    ...data,
  },
});

export const pupilRegistered = (): PupilRegistered => ({
  type: 'PupilRegistered',
  data: { pupilId: PUPIL_ID, yearGroup: '4', senProvision: 'K', needs: [{ need: 'SEMH', rank: 1 }] },
  personal: { givenName: 'Amira', familyName: 'Example', dateOfBirth: '2016-03-14', upn: UPN },
});

export const pupilAdmitted = (schoolUrn = SCHOOL_URN, admissionDate = '2025-09-03'): PupilEvent => ({
  type: 'PupilAdmitted',
  data: { pupilId: PUPIL_ID, schoolUrn, admissionDate },
});
