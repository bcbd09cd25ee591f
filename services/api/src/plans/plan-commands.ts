import { randomUUID } from 'node:crypto';
import type { OpenPlanBody } from '@small-steps/contracts';
import { type Plan, type PlanView, planView } from '@small-steps/domain';
import type { EventStore } from '@small-steps/event-store';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { eventIdFor } from '../commands/event-ids.ts';
import type { HttpCommandOptions } from '../commands/http-command.ts';
import { type CommandResult, runCommand } from '../commands/run-command.ts';
import { HttpProblem, RuleBroken } from '../plugins/problems.ts';
import type { PupilReads } from '../pupils/pupil-reads.ts';
import { type PlanCommandRequest, planAggregate, planCommand, planStreamId } from './plan-aggregate.ts';
import { projectPlan } from './plan-projection.ts';
import { type PlanReference, requiringReference } from './plan-references.ts';
import { planCommandResponse } from './plan-response.ts';
import type { PlanContexts } from './tenant-settings.ts';

export interface PlanCommandOptions extends HttpCommandOptions {
  /** When the request arrived: the command's `now`. */
  now: Date;
  /** The date it happened, when the caller backdates it. */
  occurredOn?: string | undefined;
  /** What the route's path names inside the plan: unknown, it is a 404. */
  reference?: PlanReference;
}

/** The settings taking part now: their staff can work on the plan, other schools' staff see nothing of it. */
export const isVisibleTo = (principal: Principal, plan: Plan): boolean =>
  plan.status !== 'none' &&
  (principal.schoolUrn === undefined || plan.settings.some((s) => s.urn === principal.schoolUrn && s.leftOn === null));

/** Carries out plan commands: decide, and append with the current plan's writes in the same statement. */
export class PlanCommands {
  readonly #store: EventStore;
  readonly #pupils: PupilReads;
  readonly #contexts: PlanContexts;

  constructor(store: EventStore, pupils: PupilReads, contexts: PlanContexts) {
    this.#store = store;
    this.#pupils = pupils;
    this.#contexts = contexts;
  }

  /** Opens a plan for a pupil the caller can see, at a school whose roll the pupil is on. */
  async open(body: z.output<typeof OpenPlanBody>, options: PlanCommandOptions): Promise<CommandResult> {
    const { principal } = options;
    const { pupilId, schoolUrn: asked, occurredOn, ...facts } = body;
    const pupil = await this.#pupils.get(principal, pupilId);
    if (!pupil) {
      throw new RuleBroken('unknown-reference', `No pupil ${pupilId} in your records: register the pupil first.`, [
        { pointer: '/body/pupilId', detail: 'is not a pupil in your records', code: 'unknown_pupil' },
      ]);
    }
    if (principal.schoolUrn && asked && asked !== principal.schoolUrn) {
      throw new HttpProblem('forbidden', 'School staff open plans at their own school only.');
    }
    const schoolUrn = asked ?? principal.schoolUrn ?? pupil.schoolUrn;
    if (schoolUrn === null || !pupil.onRollAt.includes(schoolUrn)) {
      throw new HttpProblem('validation', "A plan's school must be one whose roll the pupil is on.", {
        errors: [
          {
            pointer: '/body/schoolUrn',
            detail: `the pupil is on the roll of ${pupil.onRollAt.join(', ') || 'no school'}`,
            code: 'not_on_roll',
          },
        ],
      });
    }
    // A retried request keeps its plan id, so a retry can never open the plan twice.
    const planId = options.idempotency
      ? eventIdFor(`${principal.tenant}\u0000${principal.id}\u0000plans`, options.idempotency.key, 0)
      : randomUUID();
    return this.run(
      planId,
      { type: 'OpenPlan', data: { planId, pupilId, schoolUrn, ...facts } },
      { ...options, occurredOn },
      201,
    );
  }

  /** Runs a command on plan `planId`; a plan the caller cannot see is a 404, whoever's it is. */
  run(
    planId: string,
    request: PlanCommandRequest,
    options: PlanCommandOptions,
    statusCode = 200,
  ): Promise<CommandResult> {
    const { principal, now, occurredOn, reference, returnMinimal, ...http } = options;
    const { tenant } = principal;
    const policy = this.#contexts.policyFor(tenant);
    const isNew = request.type === 'OpenPlan';
    // The projection and the response show the same state: shape its view once.
    let viewed: { plan: Plan; view: PlanView | null } | undefined;
    const viewOf = (plan: Plan) => {
      if (viewed?.plan !== plan) viewed = { plan, view: planView(plan, policy) };
      return viewed.view;
    };
    return runCommand(this.#store, {
      ...http,
      principal,
      aggregate: reference ? requiringReference(planAggregate, reference) : planAggregate,
      streamId: planStreamId(planId),
      command: planCommand(request, { principal, now, occurredOn }),
      context: (plan: Plan) =>
        this.#contexts.contextFor(tenant, plan.status === 'none' ? schoolOf(request) : plan.schoolUrn),
      ...(isNew
        ? {}
        : {
            existing: {
              isVisible: (plan: Plan) => isVisibleTo(principal, plan),
              notFound: `No plan ${planId} in your records.`,
            },
          }),
      project: (change) => projectPlan(change, viewOf(change.after), tenant),
      respond: (plan, version, advisories) => {
        if (returnMinimal) return { statusCode, body: { planId, version, advisoriesRaised: advisories } };
        const view = viewOf(plan);
        return { statusCode, body: view && planCommandResponse(view, version, advisories) };
      },
    }).then((result) =>
      // A replay answers as the first request was answered, whatever this one prefers.
      returnMinimal && !result.replayed ? { ...result, preferenceApplied: 'return=minimal' } : result,
    );
  }
}

const schoolOf = (request: PlanCommandRequest): string | null =>
  request.type === 'OpenPlan' ? request.data.schoolUrn : null;
