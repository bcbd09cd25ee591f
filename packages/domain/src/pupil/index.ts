export type {
  AdmitPupil,
  CorrectPupilDetails,
  ErasePupilData,
  PupilCommand,
  RecordPupilLeftSchool,
  RegisterPupil,
} from './pupil-commands.ts';
export { decidePupil, type PupilContext, pupilDecider } from './pupil-decide.ts';
export type {
  PupilAdmitted,
  PupilDataErased,
  PupilDetailsCorrected,
  PupilEvent,
  PupilLeftSchool,
  PupilRegistered,
} from './pupil-events.ts';
export { isOnRollOn, PUPIL_ON_ROLL_RULE } from './pupil-on-roll.ts';
export {
  addYears,
  RETENTION_RULES,
  type RetentionEnded,
  type RetentionFacts,
  type RetentionRuleId,
  retentionEnded,
} from './pupil-retention.ts';
export { checkSenDetails, PUPIL_RULES, type PupilRuleId } from './pupil-rules.ts';
export { type Enrolment, evolvePupil, initialPupilState, type Pupil, type RegisteredPupil } from './pupil-state.ts';
export {
  ERASED,
  isNcYearGroup,
  isSenNeed,
  isSenProvision,
  NC_YEAR_GROUPS,
  type NcYearGroup,
  type PupilDetails,
  type PupilPersonal,
  type RankedNeed,
  RETENTION_CLASSES,
  type RetentionClass,
  SEN_NEEDS,
  SEN_PROVISIONS,
  type SenNeed,
  type SenProvision,
} from './pupil-values.ts';
export { type PupilView, pupilView } from './pupil-view.ts';
