export {
  AccessLogPage,
  AccessLogQuery,
  AccessReasonHeaders,
  AccessRecord,
  MAX_ACCESS_REASON_LENGTH,
} from './access-log-schemas.ts';
export { BrokenLink, CHAIN_PROBLEMS, ChainVerification, SeenHead } from './verification-schemas.ts';
