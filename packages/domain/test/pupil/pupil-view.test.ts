import { describe, expect, it } from 'vitest';
import { evolvePupil, initialPupilState, type PupilEvent, pupilView } from '../../src/pupil/index.ts';
import { OTHER_SCHOOL_URN, PUPIL_ID, pupilAdmitted, pupilRegistered, SCHOOL_URN, UPN } from './pupil-given.ts';

const viewOf = (...events: PupilEvent[]) => pupilView(events.reduce(evolvePupil, initialPupilState()));

describe('pupilView', () => {
  it('given no events, when viewed, then there is no pupil', () => {
    expect(viewOf()).toBeNull();
  });

  it('given a registered and admitted pupil, when viewed, then personal fields sit apart from the rest', () => {
    expect(viewOf(pupilRegistered(), pupilAdmitted())).toEqual({
      pupilId: PUPIL_ID,
      yearGroup: '4',
      senProvision: 'K',
      needs: [{ need: 'SEMH', rank: 1 }],
      primaryNeed: 'SEMH',
      schoolUrn: SCHOOL_URN,
      onRollAt: [SCHOOL_URN],
      enrolments: [{ schoolUrn: SCHOOL_URN, admissionDate: '2025-09-03', leavingDate: null }],
      personal: { givenName: 'Amira', familyName: 'Example', dateOfBirth: '2016-03-14', upn: UPN },
    });
  });

  it('given a correction, when viewed, then the corrected fields replace the old ones and the rest stay', () => {
    const view = viewOf(pupilRegistered(), {
      type: 'PupilDetailsCorrected',
      data: {
        pupilId: PUPIL_ID,
        needs: [
          { need: 'ASD', rank: 1 },
          { need: 'SEMH', rank: 2 },
        ],
      },
      personal: { reason: 'EHC needs assessment finished', familyName: 'Exemplar' },
    });
    expect(view).toMatchObject({
      primaryNeed: 'ASD',
      yearGroup: '4',
      personal: { givenName: 'Amira', familyName: 'Exemplar' },
    });
  });

  it('given a dual-registered pupil, when viewed, then both schools are listed and the latest admission is current', () => {
    const view = viewOf(pupilRegistered(), pupilAdmitted(), pupilAdmitted(OTHER_SCHOOL_URN, '2025-11-03'));
    expect(view).toMatchObject({ schoolUrn: OTHER_SCHOOL_URN, onRollAt: [SCHOOL_URN, OTHER_SCHOOL_URN] });
  });

  it('given a pupil who left their only school, when viewed, then they have no current school and keep the history', () => {
    const view = viewOf(pupilRegistered(), pupilAdmitted(), {
      type: 'PupilLeftSchool',
      data: { pupilId: PUPIL_ID, schoolUrn: SCHOOL_URN, leavingDate: '2026-02-13' },
    });
    expect(view).toMatchObject({
      schoolUrn: null,
      onRollAt: [],
      enrolments: [{ schoolUrn: SCHOOL_URN, admissionDate: '2025-09-03', leavingDate: '2026-02-13' }],
    });
  });
});

describe('evolvePupil', () => {
  it('given events that do not apply, when replayed, then the state is unchanged and nothing throws', () => {
    const registeredTwice = [
      pupilRegistered(),
      { ...pupilRegistered(), personal: { ...pupilRegistered().personal, givenName: 'Other' } },
    ];
    expect(viewOf(pupilAdmitted())).toBeNull();
    expect(viewOf(...registeredTwice)?.personal.givenName).toBe('Amira');
    expect(
      viewOf(pupilRegistered(), {
        type: 'PupilLeftSchool',
        data: { pupilId: PUPIL_ID, schoolUrn: SCHOOL_URN, leavingDate: '2026-01-01' },
      })?.enrolments,
    ).toEqual([]);
  });
});
