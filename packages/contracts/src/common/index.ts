export { PageQuery, page } from './pagination.ts';
export { isPersonalFieldName, personal } from './personal.ts';
export { Problem, ProblemFieldError } from './problem.ts';
export {
  PROBLEM_TYPE_BASE,
  type ProblemType,
  type ProblemTypeId,
  problemTypes,
  problemTypeUri,
  RULE_BROKEN_TITLE,
} from './problem-types.ts';
export { isoDate, isoDateTime, laCode, safeText, schoolUrn, uuid } from './safe-text.ts';
