export {
  AuditCheckpointSchedule,
  type AuditCheckpointScheduleOptions,
  signPendingHeads,
} from './audit-checkpoint-schedule.ts';
export { type AuditTreeSchema, auditTreeMigration } from './audit-tree-migration.ts';
export { AUDIT_TREE, auditTreeProjection } from './audit-tree-projection.ts';
export { AuditTrees, type ConsistencyProof, type InclusionProof } from './audit-trees.ts';
export { type CheckpointPolicy, DEFAULT_CHECKPOINT_POLICY, EVERY_BATCH } from './checkpoint-policy.ts';
export { CheckpointedStreamHeads } from './checkpointed-stream-heads.ts';
export { resetAuditTree } from './reset-audit-tree.ts';
