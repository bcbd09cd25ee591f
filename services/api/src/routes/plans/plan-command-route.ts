import type { CommandResult, PlanCommandRequest, PlanReference } from '@small-steps/application';
import { isPlanCommandReceipt, PLAN_RECEIPT_MEDIA_TYPE, PlanCommandAnswer, Problem } from '@small-steps/contracts';
import type { PlanRuleId } from '@small-steps/domain';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { WRITERS } from '../../auth/roles.ts';
import { commandOptions, sendCommandResult } from '../../commands/http-command.ts';
import type { Services } from '../../services.ts';

export const planTags = ['plans'];
export const planProblems = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};

type Facts<B extends z.ZodObject> = Omit<z.output<B>, 'occurredOn'>;

/** One plan command over HTTP: a POST on a sub-resource of the plan. */
export interface PlanCommandRoute<P extends z.ZodObject, B extends z.ZodObject> {
  url: string;
  /** The operation's name in the OpenAPI document: what generated clients call the method. */
  operationId: string;
  summary: string;
  /** What it records, in a sentence; the rules that may refuse it are appended. */
  description: string;
  /** Rule ids that may refuse it besides `plan-status` (a 422 whose `type` ends in the id). */
  rules: readonly PlanRuleId[];
  params: P;
  body: B;
  /** True when the body may be left out (a command with nothing to say but its date). */
  isBodyOptional?: boolean;
  command(params: z.output<P>, facts: Facts<B>): PlanCommandRequest;
  /** What the path names inside the plan: unknown, it is a 404. */
  reference?(params: z.output<P>): PlanReference;
}

/** Registers plan command routes on the app; each route's `command` is checked against its schemas. */
export const commandRegistrar =
  (app: FastifyInstance, services: Services) =>
  <P extends z.ZodObject, B extends z.ZodObject>(route: PlanCommandRoute<P, B>): void =>
    registerPlanCommand(app, services, route);

// Every plan command: the plan's status, and the pupil's records not erased (nothing more is recorded then).
const refusals = (rules: readonly PlanRuleId[]) =>
  `\n\nMay be refused (422) by the rules ${['plan-status', 'records-erased', ...rules].map((r) => `\`${r}\``).join(', ')}.`;

/** Said of every plan command in the API reference. */
export const RETURN_MINIMAL_NOTE = `\n\nAnswers with the plan after the command (\`application/json\`). Send \`Prefer: return=minimal\` for a receipt instead (plan id, version, advisories raised; \`${PLAN_RECEIPT_MEDIA_TYPE}\`, with \`Preference-Applied: return=minimal\`), as systems recording many facts may.`;

/** Answers a plan command, the receipt under its own media type (see `PlanCommandAnswer`). */
export function sendPlanCommandResult(reply: FastifyReply, result: CommandResult): FastifyReply {
  if ((result.outcome === 'accepted' || result.outcome === 'replayed') && isPlanCommandReceipt(result.answer.body)) {
    reply.type(PLAN_RECEIPT_MEDIA_TYPE);
  }
  return sendCommandResult(reply, result);
}

/** Registers the route: writers only, If-Match and Idempotency-Key honoured, the plan and its ETag returned. */
export function registerPlanCommand<P extends z.ZodObject, B extends z.ZodObject>(
  app: FastifyInstance,
  services: Services,
  route: PlanCommandRoute<P, B>,
): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    route.url,
    {
      config: { roles: WRITERS },
      schema: {
        tags: planTags,
        operationId: route.operationId,
        summary: route.summary,
        description: route.description + RETURN_MINIMAL_NOTE + refusals(route.rules),
        params: route.params,
        body: route.isBodyOptional ? route.body.nullish() : route.body,
        response: { 200: PlanCommandAnswer, ...planProblems },
      },
    },
    async (request, reply) => {
      const params = request.params as z.output<P> & { planId: string };
      const { occurredOn, ...facts } = (request.body ?? {}) as { occurredOn?: string };
      const reference = route.reference?.(params);
      const result = await services.plans.run(params.planId, route.command(params, facts as Facts<B>), {
        ...commandOptions(request),
        occurredOn,
        ...(reference ? { reference } : {}),
      });
      return sendPlanCommandResult(reply, result);
    },
  );
}
