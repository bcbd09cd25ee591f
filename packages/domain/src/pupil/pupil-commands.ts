import type { PupilDetails, PupilPersonal, RetentionClass } from './pupil-values.ts';

export type PupilCommand = RegisterPupil | CorrectPupilDetails | AdmitPupil | RecordPupilLeftSchool | ErasePupilData;

/** Registers a pupil; with `admission`, also puts them on that school's roll. */
export interface RegisterPupil {
  type: 'RegisterPupil';
  data: { pupilId: string; admission?: { schoolUrn: string; admissionDate: string } } & PupilPersonal & PupilDetails;
}

/** Rectifies recorded details (docs/domain.md §7: a new event with a reason, never an edit). */
export interface CorrectPupilDetails {
  type: 'CorrectPupilDetails';
  data: { pupilId: string; reason: string; changes: Partial<PupilPersonal & PupilDetails> };
}

export interface AdmitPupil {
  type: 'AdmitPupil';
  /** `schoolUrn` is 6 digits and `admissionDate` an ISO date: the contracts check their format. */
  data: { pupilId: string; schoolUrn: string; admissionDate: string };
}

export interface RecordPupilLeftSchool {
  type: 'RecordPupilLeftSchool';
  data: { pupilId: string; schoolUrn: string; leavingDate: string };
}

/**
 * Erases the pupil's personal data of one retention class when its retention period has ended
 * (docs/domain.md §7): the data key is destroyed, the events stay, and the erasure is itself recorded.
 */
export interface ErasePupilData {
  type: 'ErasePupilData';
  data: { pupilId: string; retentionClass: RetentionClass; reason: string };
}
