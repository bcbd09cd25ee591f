import type { Pupil } from '@small-steps/contracts';
import type { PupilView } from '@small-steps/domain';

/** The HTTP shape of a pupil, from the domain's view after a command. */
export const pupilResponse = (view: PupilView, version: number): Pupil => ({
  pupilId: view.pupilId,
  version,
  yearGroup: view.yearGroup,
  senProvision: view.senProvision,
  needs: view.needs,
  primaryNeed: view.primaryNeed,
  schoolUrn: view.schoolUrn,
  onRollAt: view.onRollAt,
  enrolments: view.enrolments,
  upn: view.personal.upn,
  givenName: view.personal.givenName,
  familyName: view.personal.familyName,
  dateOfBirth: view.personal.dateOfBirth,
});
