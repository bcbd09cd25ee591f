export {
  AccessLogPage,
  AccessLogQuery,
  AccessReasonHeaders,
  AccessRecord,
  MAX_ACCESS_REASON_LENGTH,
} from './access-log-schemas.ts';
export {
  AuditExport,
  AuditLeaf,
  AuditPublicKey,
  CheckpointConsistencyProof,
  CheckpointParams,
  ConsistencyQuery,
  EventInclusionProof,
  InclusionQuery,
  SignedCheckpoint,
  StoredEventExport,
} from './audit-schemas.ts';
export { BrokenLink, CHAIN_PROBLEMS, ChainVerification, SeenHead } from './verification-schemas.ts';
