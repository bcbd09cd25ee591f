export { type AuditTreeSchema, auditTreeMigration } from './audit-tree-migration.ts';
export { auditTreeProjection } from './audit-tree-projection.ts';
export { AuditTrees, type ConsistencyProof, type InclusionProof } from './audit-trees.ts';
export { CheckpointedStreamHeads } from './checkpointed-stream-heads.ts';
export { resetAuditTree } from './reset-audit-tree.ts';
