import {
  AuditPublicKey,
  CheckpointConsistencyProof,
  CheckpointParams,
  ConsistencyQuery,
  EventInclusionProof,
  InclusionQuery,
  Problem,
  SignedCheckpoint,
} from '@small-steps/contracts';
import type { Role } from '@small-steps/domain';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';

/** Who may read the audit trail's checkpoints and proofs: the LA's auditors and administrators. */
export const AUDIT_READERS: readonly Role[] = ['auditor', 'admin'];

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const config = { roles: AUDIT_READERS };

/**
 * Signed checkpoints of the caller's LA's audit tree and proofs against them, for an auditor who
 * checks them with the public key and trusts nothing else of the service (docs/architecture.md,
 * "Audit: signed checkpoints").
 */
export async function checkpointRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { auditTrees, auditSigner } = services;

  api.get(
    '/v1/audit/checkpoints/latest',
    {
      config,
      schema: {
        tags: ['audit'],
        operationId: 'getLatestCheckpoint',
        summary: 'The latest signed checkpoint of your LA’s events',
        response: { 200: SignedCheckpoint, ...problems },
      },
    },
    async (request) => {
      const head = await auditTrees.latest(request.principal);
      if (!head) throw new HttpProblem('not-found', 'No checkpoint has been signed for your LA yet.');
      return head;
    },
  );

  api.get(
    '/v1/audit/checkpoints/:treeSize',
    {
      config,
      schema: {
        tags: ['audit'],
        operationId: 'getCheckpoint',
        summary: 'The signed checkpoint of your LA’s first `treeSize` events',
        params: CheckpointParams,
        response: { 200: SignedCheckpoint, ...problems },
      },
    },
    async (request) => {
      const { treeSize } = request.params;
      const head = await auditTrees.checkpoint(request.principal, treeSize);
      if (!head) throw new HttpProblem('not-found', `No checkpoint was signed at ${treeSize} events.`);
      return head;
    },
  );

  api.get(
    '/v1/audit/proofs/inclusion',
    {
      config,
      schema: {
        tags: ['audit'],
        operationId: 'getInclusionProof',
        summary: 'Prove an event is in a signed checkpoint',
        querystring: InclusionQuery,
        response: { 200: EventInclusionProof, ...problems },
      },
    },
    async (request) => {
      const { eventId, treeSize } = request.query;
      const checkpoint =
        treeSize === undefined
          ? await auditTrees.latest(request.principal)
          : await auditTrees.checkpoint(request.principal, treeSize);
      if (!checkpoint) throw new HttpProblem('not-found', 'No checkpoint was signed at that size.');
      const [found] = await auditTrees.inclusion(request.principal, [eventId], checkpoint.treeSize);
      if (!found) throw new HttpProblem('not-found', `No event ${eventId} in that checkpoint of your LA.`);
      const { id, ...event } = found.event;
      return { checkpoint, event: { ...event, eventId: id }, leafIndex: found.leafIndex, proof: found.proof };
    },
  );

  api.get(
    '/v1/audit/proofs/consistency',
    {
      config,
      schema: {
        tags: ['audit'],
        operationId: 'getConsistencyProof',
        summary: 'Prove an earlier signed checkpoint is the start of a later one',
        querystring: ConsistencyQuery,
        response: { 200: CheckpointConsistencyProof, ...problems },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      if (from > to) throw new HttpProblem('validation', '`from` must not be greater than `to`.');
      const answer = await auditTrees.consistency(request.principal, from, to);
      if (!answer) throw new HttpProblem('not-found', 'No checkpoint was signed at one of those sizes.');
      return answer;
    },
  );

  api.get(
    '/v1/audit/public-key',
    {
      config,
      schema: {
        tags: ['audit'],
        operationId: 'getAuditPublicKey',
        summary: 'The public key that checks the signed checkpoints',
        response: { 200: AuditPublicKey, ...problems },
      },
    },
    async () => {
      if (!auditSigner) throw new HttpProblem('not-found', 'This service keeps no signed checkpoints.');
      return { keyId: auditSigner.keyId, algorithm: 'Ed25519' as const, publicKeyPem: auditSigner.publicKeyPem };
    },
  );
}
