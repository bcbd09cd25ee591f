import type { PupilEvent } from './pupil-events.ts';
import { ERASED, type PupilDetails, type PupilPersonal, type RetentionClass } from './pupil-values.ts';

/** A time on a school's roll; `leavingDate` is null while the pupil is still on it. */
export interface Enrolment {
  schoolUrn: string;
  admissionDate: string;
  leavingDate: string | null;
}

export type Pupil =
  | { status: 'unregistered' }
  | {
      status: 'registered';
      pupilId: string;
      personal: PupilPersonal;
      details: PupilDetails;
      /** In admission order. A dual-registered pupil has two open enrolments. */
      enrolments: Enrolment[];
      /** Retention classes whose personal data has been erased. */
      erased: RetentionClass[];
    };

export type RegisteredPupil = Extract<Pupil, { status: 'registered' }>;

export const initialPupilState = (): Pupil => ({ status: 'unregistered' });

/** The open enrolment at a school, if the pupil is on its roll. */
export const openEnrolmentAt = (pupil: RegisteredPupil, schoolUrn: string): Enrolment | undefined =>
  pupil.enrolments.find((e) => e.schoolUrn === schoolUrn && e.leavingDate === null);

export const evolvePupil = (state: Pupil, event: PupilEvent): Pupil => {
  switch (event.type) {
    case 'PupilRegistered': {
      if (state.status === 'registered') return state;
      const { pupilId, ...details } = event.data;
      return { status: 'registered', pupilId, personal: { ...event.personal }, details, enrolments: [], erased: [] };
    }
    case 'PupilDetailsCorrected': {
      if (state.status !== 'registered') return state;
      const { pupilId: _, ...details } = event.data;
      const { reason: __, ...personal } = event.personal;
      return {
        ...state,
        personal: { ...state.personal, ...personal },
        details: { ...state.details, ...details },
      };
    }
    case 'PupilAdmitted': {
      if (state.status !== 'registered') return state;
      const { schoolUrn, admissionDate } = event.data;
      return { ...state, enrolments: [...state.enrolments, { schoolUrn, admissionDate, leavingDate: null }] };
    }
    case 'PupilLeftSchool': {
      if (state.status !== 'registered') return state;
      const open = openEnrolmentAt(state, event.data.schoolUrn);
      if (!open) return state;
      const left = { ...open, leavingDate: event.data.leavingDate };
      return { ...state, enrolments: state.enrolments.map((e) => (e === open ? left : e)) };
    }
    case 'PupilDataErased': {
      if (state.status !== 'registered' || state.erased.includes(event.data.retentionClass)) return state;
      const erased = [...state.erased, event.data.retentionClass];
      // The pupil's details are SEN records: erased, they are gone from the state too.
      if (event.data.retentionClass !== 'records') return { ...state, erased };
      const personal = { upn: ERASED, givenName: ERASED, familyName: ERASED, dateOfBirth: ERASED };
      return { ...state, erased, personal };
    }
    default:
      return state;
  }
};
