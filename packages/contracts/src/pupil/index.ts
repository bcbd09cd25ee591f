export {
  AdmitPupilBody,
  CorrectPupilDetailsBody,
  Enrolment,
  Pupil,
  PupilIdParams,
  PupilLeftSchoolBody,
  PupilListQuery,
  PupilPage,
  RankedNeed,
  RegisterPupilBody,
  SenProvision,
  YearGroup,
} from './pupil-schemas.ts';
