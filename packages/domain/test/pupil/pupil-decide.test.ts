import { describe, expect, it } from 'vitest';
import type { PupilCommand, PupilEvent, RankedNeed } from '../../src/pupil/index.ts';
import { upnCheckLetter } from '../../src/upn/index.ts';
import {
  given,
  OTHER_SCHOOL_URN,
  PUPIL_ID,
  pupilAdmitted,
  pupilRegistered,
  registerPupil,
  SCHOOL_URN,
  thenAccepted,
  thenRejected,
  UPN,
} from './pupil-given.ts';

const correct = (
  changes: Extract<PupilCommand, { type: 'CorrectPupilDetails' }>['data']['changes'],
  reason = 'Typo on the admission form',
): PupilCommand => ({
  type: 'CorrectPupilDetails',
  data: { pupilId: PUPIL_ID, reason, changes },
});
const admit = (schoolUrn = SCHOOL_URN, admissionDate = '2025-09-03'): PupilCommand => ({
  type: 'AdmitPupil',
  data: { pupilId: PUPIL_ID, schoolUrn, admissionDate },
});
const erase = (retentionClass: 'records' | 'register'): PupilCommand => ({
  type: 'ErasePupilData',
  data: { pupilId: PUPIL_ID, retentionClass, reason: 'Retention period ended.' },
});
const leave = (schoolUrn = SCHOOL_URN, leavingDate = '2026-02-13'): PupilCommand => ({
  type: 'RecordPupilLeftSchool',
  data: { pupilId: PUPIL_ID, schoolUrn, leavingDate },
});

describe('RegisterPupil', () => {
  it('given no pupil, when registered, then PupilRegistered keeps personal fields apart from the rest', () => {
    thenAccepted(given().when(registerPupil()), [pupilRegistered()]);
  });

  it('given no pupil, when registered with an admission, then the pupil is also admitted', () => {
    thenAccepted(given().when(registerPupil({ admission: { schoolUrn: SCHOOL_URN, admissionDate: '2025-09-03' } })), [
      pupilRegistered(),
      pupilAdmitted(),
    ]);
  });

  it('given no pupil, when registered with a lower-case UPN, then the canonical UPN is stored', () => {
    const decision = given().when(registerPupil({ upn: UPN.toLowerCase() }));
    expect(decision).toMatchObject({ outcome: 'accepted', events: [{ personal: { upn: UPN } }] });
  });

  it('given no pupil, when registered with needs out of order, then they are stored primary first', () => {
    const needs: RankedNeed[] = [
      { need: 'SLCN', rank: 2 },
      { need: 'SEMH', rank: 1 },
    ];
    const decision = given().when(registerPupil({ needs }));
    expect(decision).toMatchObject({
      outcome: 'accepted',
      events: [
        {
          data: {
            needs: [
              { need: 'SEMH', rank: 1 },
              { need: 'SLCN', rank: 2 },
            ],
          },
        },
      ],
    });
  });

  it('given a registered pupil, when registered again, then rejected with pupil-exists', () => {
    thenRejected(given(pupilRegistered()).when(registerPupil()), 'pupil-exists');
  });

  it('given a UPN with a wrong check letter, when registered, then rejected with upn-valid naming the fault', () => {
    const decision = given().when(registerPupil({ upn: 'Z801200001001' }));
    expect(decision).toEqual({
      outcome: 'rejected',
      rule: 'upn-valid',
      reason: 'UPN invalid (wrong check letter at character 1)',
    });
  });

  it('given a UPN with two faults, when registered, then the reason names both', () => {
    const decision = given().when(registerPupil({ upn: 'R247962919251' }));
    expect(decision).toEqual({
      outcome: 'rejected',
      rule: 'upn-valid',
      reason: 'UPN invalid (wrong check letter at character 1); UPN invalid (characters 2-4 not a recognised LA code)',
    });
  });

  it('given a UPN allocated by another LA than the tenant, when registered, then accepted (pupils keep their UPN when they move)', () => {
    const birmingham = `${upnCheckLetter('X330200001001')}330200001001`;
    expect(given().when(registerPupil({ upn: birmingham })).outcome).toBe('accepted');
  });

  it.each<[string, RankedNeed[]]>([
    [
      'a need listed twice',
      [
        { need: 'SEMH', rank: 1 },
        { need: 'SEMH', rank: 2 },
      ],
    ],
    [
      'two needs sharing a rank',
      [
        { need: 'SEMH', rank: 1 },
        { need: 'ASD', rank: 1 },
      ],
    ],
    ['ranks not starting at 1', [{ need: 'SEMH', rank: 2 }]],
    [
      'a gap in the ranks',
      [
        { need: 'SEMH', rank: 1 },
        { need: 'ASD', rank: 3 },
      ],
    ],
  ])('given %s, when registered, then rejected with needs-ranked', (_, needs) => {
    thenRejected(given().when(registerPupil({ needs })), 'needs-ranked');
  });

  it('given three needs ranked 1 to 3, when registered, then accepted', () => {
    const needs: RankedNeed[] = [
      { need: 'ASD', rank: 2 },
      { need: 'SEMH', rank: 1 },
      { need: 'SLCN', rank: 3 },
    ];
    expect(given().when(registerPupil({ needs, senProvision: 'E' })).outcome).toBe('accepted');
  });

  it('given NSA with SEN support, when registered, then accepted', () => {
    expect(given().when(registerPupil({ senProvision: 'K', needs: [{ need: 'NSA', rank: 1 }] })).outcome).toBe(
      'accepted',
    );
  });

  it('given NSA with an EHC plan, when registered, then rejected with nsa-needs-sen-support', () => {
    thenRejected(
      given().when(registerPupil({ senProvision: 'E', needs: [{ need: 'NSA', rank: 1 }] })),
      'nsa-needs-sen-support',
    );
  });

  it('given NSA beside another need, when registered, then rejected with nsa-needs-sen-support', () => {
    const needs: RankedNeed[] = [
      { need: 'SEMH', rank: 1 },
      { need: 'NSA', rank: 2 },
    ];
    thenRejected(given().when(registerPupil({ senProvision: 'K', needs })), 'nsa-needs-sen-support');
  });

  it('given no SEN provision with needs, when registered, then rejected with needs-match-provision', () => {
    thenRejected(given().when(registerPupil({ senProvision: 'N' })), 'needs-match-provision');
  });

  it('given SEN support without a need, when registered, then rejected with needs-match-provision', () => {
    thenRejected(given().when(registerPupil({ senProvision: 'K', needs: [] })), 'needs-match-provision');
  });

  it('given no SEN provision and no needs, when registered, then accepted', () => {
    expect(given().when(registerPupil({ senProvision: 'N', needs: [] })).outcome).toBe('accepted');
  });
});

describe('CorrectPupilDetails', () => {
  it('given a registered pupil, when a name and year group are corrected, then only the changed fields are recorded with the reason', () => {
    thenAccepted(
      given(pupilRegistered()).when(correct({ familyName: 'Exemplar', yearGroup: '5', givenName: 'Amira' })),
      [
        {
          type: 'PupilDetailsCorrected',
          data: { pupilId: PUPIL_ID, yearGroup: '5' },
          personal: { reason: 'Typo on the admission form', familyName: 'Exemplar' },
        },
      ],
    );
  });

  it('given a registered pupil, when corrected to the same details, then nothing is recorded', () => {
    thenAccepted(
      given(pupilRegistered()).when(correct({ givenName: 'Amira', needs: [{ need: 'SEMH', rank: 1 }] })),
      [],
    );
  });

  it('given no pupil, when corrected, then rejected with pupil-not-registered', () => {
    thenRejected(given().when(correct({ givenName: 'Ana' })), 'pupil-not-registered');
  });

  it.each(['', '   '])(
    'given a blank reason "%s", when corrected, then rejected with correction-needs-reason',
    (reason) => {
      thenRejected(given(pupilRegistered()).when(correct({ givenName: 'Ana' }, reason)), 'correction-needs-reason');
    },
  );

  it('given a corrected UPN that fails its checks, when corrected, then rejected with upn-valid', () => {
    thenRejected(given(pupilRegistered()).when(correct({ upn: 'A801200005001' })), 'upn-valid');
  });

  it('given a valid new UPN, when corrected, then the canonical UPN is recorded', () => {
    thenAccepted(given(pupilRegistered()).when(correct({ upn: 'b801200005001' })), [
      {
        type: 'PupilDetailsCorrected',
        data: { pupilId: PUPIL_ID },
        personal: { reason: 'Typo on the admission form', upn: 'B801200005001' },
      },
    ]);
  });

  it('given a pupil on SEN support with NSA, when provision is corrected to an EHC plan alone, then rejected with nsa-needs-sen-support', () => {
    const registered = pupilRegistered();
    registered.data.needs = [{ need: 'NSA', rank: 1 }];
    thenRejected(given(registered).when(correct({ senProvision: 'E' })), 'nsa-needs-sen-support');
  });

  it('given a registered pupil, when needs are corrected with a gap in the ranks, then rejected with needs-ranked', () => {
    thenRejected(
      given(pupilRegistered()).when(
        correct({
          needs: [
            { need: 'SEMH', rank: 1 },
            { need: 'ASD', rank: 3 },
          ],
        }),
      ),
      'needs-ranked',
    );
  });
});

describe('AdmitPupil', () => {
  it('given a registered pupil, when admitted, then PupilAdmitted records the school and date', () => {
    thenAccepted(given(pupilRegistered()).when(admit()), [pupilAdmitted()]);
  });

  it('given no pupil, when admitted, then rejected with pupil-not-registered', () => {
    thenRejected(given().when(admit()), 'pupil-not-registered');
  });

  it('given a pupil on the roll, when admitted again on the same date, then nothing is recorded', () => {
    thenAccepted(given(pupilRegistered(), pupilAdmitted()).when(admit()), []);
  });

  it('given a pupil on the roll, when admitted to the same school on another date, then rejected with already-on-roll', () => {
    thenRejected(given(pupilRegistered(), pupilAdmitted()).when(admit(SCHOOL_URN, '2025-10-01')), 'already-on-roll');
  });

  it('given a pupil on one roll, when admitted to a second school, then accepted (dual registration)', () => {
    thenAccepted(given(pupilRegistered(), pupilAdmitted()).when(admit(OTHER_SCHOOL_URN, '2025-11-03')), [
      pupilAdmitted(OTHER_SCHOOL_URN, '2025-11-03'),
    ]);
  });
});

describe('RecordPupilLeftSchool', () => {
  it('given a pupil on the roll, when they leave, then PupilLeftSchool is recorded', () => {
    thenAccepted(given(pupilRegistered(), pupilAdmitted()).when(leave()), [
      { type: 'PupilLeftSchool', data: { pupilId: PUPIL_ID, schoolUrn: SCHOOL_URN, leavingDate: '2026-02-13' } },
    ]);
  });

  it('given no pupil, when they leave, then rejected with pupil-not-registered', () => {
    thenRejected(given().when(leave()), 'pupil-not-registered');
  });

  it('given a pupil not on that roll, when they leave it, then rejected with not-on-roll', () => {
    thenRejected(given(pupilRegistered(), pupilAdmitted()).when(leave(OTHER_SCHOOL_URN)), 'not-on-roll');
  });

  it('given a pupil who already left on that date, when the leaving is sent again, then nothing is recorded', () => {
    const left = {
      type: 'PupilLeftSchool' as const,
      data: { pupilId: PUPIL_ID, schoolUrn: SCHOOL_URN, leavingDate: '2026-02-13' },
    };
    thenAccepted(given(pupilRegistered(), pupilAdmitted(), left).when(leave()), []);
  });

  it('given a leaving date before the admission, when they leave, then rejected with leaving-after-admission', () => {
    thenRejected(
      given(pupilRegistered(), pupilAdmitted()).when(leave(SCHOOL_URN, '2025-09-02')),
      'leaving-after-admission',
    );
  });
});

describe('records-erased', () => {
  const recordsErased: PupilEvent = {
    type: 'PupilDataErased',
    data: { pupilId: PUPIL_ID, retentionClass: 'records', reason: 'Retention period ended.' },
  };
  const registerErased: PupilEvent = {
    type: 'PupilDataErased',
    data: { pupilId: PUPIL_ID, retentionClass: 'register', reason: 'Retention period ended.' },
  };

  it('given a pupil whose records were erased, when a detail is corrected, then rejected with records-erased', () => {
    thenRejected(given(pupilRegistered(), recordsErased).when(correct({ yearGroup: '5' })), 'records-erased');
  });

  it('given a pupil whose records were erased, when admitted to a school, then rejected with records-erased', () => {
    thenRejected(given(pupilRegistered(), recordsErased).when(admit()), 'records-erased');
  });

  it('given a pupil on a roll whose records were erased, when they leave it, then rejected with records-erased', () => {
    thenRejected(given(pupilRegistered(), pupilAdmitted(), recordsErased).when(leave()), 'records-erased');
  });

  it('given a pupil whose register data alone was erased, when admitted to a school, then accepted', () => {
    thenAccepted(given(pupilRegistered(), registerErased).when(admit()), [pupilAdmitted()]);
  });

  it('given a pupil whose records were erased, when their register data is erased too, then PupilDataErased is recorded', () => {
    thenAccepted(given(pupilRegistered(), recordsErased).when(erase('register')), [registerErased]);
  });
});
