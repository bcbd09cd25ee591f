export {
  INT32_MAX,
  PAGE_MAX,
  STORED_ID_MAX,
  STORED_LIST_MAX,
  STORED_TEXT_MAX,
  storedDate,
  storedId,
  storedInstant,
  storedList,
  storedText,
  wholeNumber,
} from './bounds.ts';
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
