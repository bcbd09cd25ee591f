import type { PupilDetails, PupilPersonal, RetentionClass } from './pupil-values.ts';

/**
 * Pupil events keep personal data in `personal`, beside `data`, so that the store can encrypt it
 * with the pupil's key and erase it by destroying the key (docs/domain.md §7).
 */
export type PupilEvent = PupilRegistered | PupilDetailsCorrected | PupilAdmitted | PupilLeftSchool | PupilDataErased;

export interface PupilRegistered {
  type: 'PupilRegistered';
  data: { pupilId: string } & PupilDetails;
  personal: PupilPersonal;
}

/** Only the fields that changed. The reason is free text, so it is personal data too. */
export interface PupilDetailsCorrected {
  type: 'PupilDetailsCorrected';
  data: { pupilId: string } & Partial<PupilDetails>;
  personal: { reason: string } & Partial<PupilPersonal>;
}

/** Attendance counts from the admission date (docs/domain.md §4). */
export interface PupilAdmitted {
  type: 'PupilAdmitted';
  data: { pupilId: string; schoolUrn: string; admissionDate: string };
}

export interface PupilLeftSchool {
  type: 'PupilLeftSchool';
  data: { pupilId: string; schoolUrn: string; leavingDate: string };
}

/**
 * The pupil's personal data of a retention class was erased: its key destroyed, so every value
 * sealed with it reads `[erased]`. Why (a retention period ended, a decision) is not about the pupil.
 */
export interface PupilDataErased {
  type: 'PupilDataErased';
  data: { pupilId: string; retentionClass: RetentionClass; reason: string };
}
