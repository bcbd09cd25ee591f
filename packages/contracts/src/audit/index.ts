export {
  AuditExport,
  AuditLeaf,
  AuditPublicKey,
  CheckpointParams,
  CheckpointConsistencyProof,
  ConsistencyQuery,
  EventInclusionProof,
  InclusionQuery,
  SignedCheckpoint,
  StoredEventExport,
} from './audit-schemas.ts';
