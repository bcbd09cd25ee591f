import type { Enrolment, Pupil } from './pupil-state.ts';
import type { NcYearGroup, PupilPersonal, RankedNeed, SenNeed, SenProvision } from './pupil-values.ts';

/** A registered pupil as callers read them; `personal` is the part to decrypt, redact or drop. */
export interface PupilView {
  pupilId: string;
  yearGroup: NcYearGroup;
  senProvision: SenProvision;
  needs: RankedNeed[];
  primaryNeed: SenNeed | null;
  /** The school of the latest admission still open: the pupil's current school. */
  schoolUrn: string | null;
  /** Every school whose roll the pupil is on (two when dual registered). */
  onRollAt: string[];
  enrolments: Enrolment[];
  personal: PupilPersonal;
}

/** The read view of a pupil, or `null` before registration. */
export const pupilView = (state: Pupil): PupilView | null => {
  if (state.status !== 'registered') return null;
  const open = state.enrolments.filter((e) => e.leavingDate === null);
  return {
    pupilId: state.pupilId,
    yearGroup: state.details.yearGroup,
    senProvision: state.details.senProvision,
    needs: state.details.needs.map((n) => ({ ...n })),
    primaryNeed: state.details.needs.find((n) => n.rank === 1)?.need ?? null,
    schoolUrn: open.at(-1)?.schoolUrn ?? null,
    onRollAt: open.map((e) => e.schoolUrn),
    enrolments: state.enrolments.map((e) => ({ ...e })),
    personal: { ...state.personal },
  };
};
