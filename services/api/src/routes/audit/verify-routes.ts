import { ChainVerification, PlanIdParams, Problem, PupilIdParams } from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AUDITORS } from '../../auth/roles.ts';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
const tags = ['audit'];
const description = (record: string) =>
  `Recomputes the ${record}'s hash chain from the stored events, and checks the stream is as long as the read model saw it (and, once checkpoints are signed, as the latest signed checkpoint saw it), so removing its last events is found, not only changing one. Answers \`ok\` with the head hash and the version, or the first broken link: its version, its place in the log, the expected and the stored hash, and what is wrong. Auditors and administrators of the record's LA; another LA's record is a 404.`;

/** Verification of a record's hash chain over the API, for auditors. */
export async function verifyRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { verification } = services;

  api.get(
    '/v1/plans/:planId/verify',
    {
      config: { roles: AUDITORS },
      schema: {
        tags,
        operationId: 'verifyPlan',
        summary: "Verify a plan's hash chain",
        description: description('plan'),
        params: PlanIdParams,
        response: { 200: ChainVerification, ...problems },
      },
    },
    async (request) => {
      const { planId } = request.params;
      const result = await verification.plan(request.principal, planId);
      if (!result) throw new HttpProblem('not-found', `No plan ${planId} in your records.`);
      return result;
    },
  );

  api.get(
    '/v1/pupils/:pupilId/verify',
    {
      config: { roles: AUDITORS },
      schema: {
        tags,
        operationId: 'verifyPupil',
        summary: "Verify a pupil record's hash chain",
        description: description('pupil record'),
        params: PupilIdParams,
        response: { 200: ChainVerification, ...problems },
      },
    },
    async (request) => {
      const { pupilId } = request.params;
      const result = await verification.pupil(request.principal, pupilId);
      if (!result) throw new HttpProblem('not-found', `No pupil ${pupilId} in your records.`);
      return result;
    },
  );
}
