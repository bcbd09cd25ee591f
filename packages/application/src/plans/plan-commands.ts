import { randomUUID } from 'node:crypto';
import { type OpenPlanBody, planEventCodec } from '@small-steps/contracts';
import {
  decidePlan,
  evolvePlan,
  initialState,
  isPlanVisibleTo,
  oneOpenPlan,
  type Plan,
  type PlanCommand,
  type PlanContext,
  type PlanEvent,
  type Principal,
} from '@small-steps/domain';
import {
  isOneOpenPlanViolation,
  type Projection,
  type PupilReads,
  planStreamId,
  type StreamStates,
  viewOf,
} from '@small-steps/projections';
import type { z } from 'zod';
import type { CommandOptions } from '../commands/command-options.ts';
import { type CommandResult, refused, rejected } from '../commands/command-result.ts';
import { eventIdFor } from '../commands/event-ids.ts';
import { type Aggregate, type CommandContext, runCommand } from '../commands/run-command.ts';
import type { PlanContexts } from '../settings/tenant-settings.ts';
import { checkReference, type PlanReference } from './plan-references.ts';
import { planCommandResponse } from './plan-response.ts';

/** A plan command as a caller states it: its type and facts, before the metadata is added. */
export type PlanCommandRequest = PlanCommand extends infer C
  ? C extends PlanCommand
    ? Omit<C, 'metadata'>
    : never
  : never;

export interface PlanCommandOptions extends CommandOptions {
  /** The date it happened, when the caller backdates it. */
  occurredOn?: string | undefined;
  /** What the request names inside the plan: unknown, it is not found. */
  reference?: PlanReference;
}

/** What plan commands need besides the store. */
export interface PlanCommandsDependencies extends CommandContext {
  states: StreamStates<Plan>;
  projection: Projection;
  pupils: PupilReads;
  contexts: PlanContexts;
  clock: () => Date;
}

/** Carries out plan commands: decide, and append with the current plan's writes in the same statement. */
export class PlanCommands {
  readonly #deps: PlanCommandsDependencies;
  readonly #aggregate: Aggregate<Plan, PlanCommand, PlanEvent, PlanContext>;

  constructor(deps: PlanCommandsDependencies) {
    this.#deps = deps;
    this.#aggregate = {
      states: deps.states,
      initialState,
      evolve: evolvePlan,
      decide: decidePlan,
      codec: planEventCodec,
      projection: deps.projection,
      // A plan's personal data is the pupil's, kept with their SEN and plan records.
      subjectOf: (plan, tenant) =>
        plan.status === 'none' ? undefined : { id: plan.pupilId, class: 'records', tenant },
      refusalOf(error) {
        if (!isOneOpenPlanViolation(error)) return undefined;
        const { rule, reason } = oneOpenPlan();
        return rejected(rule, reason, [
          { pointer: '/body/pupilId', detail: 'already has an open plan', code: 'one_open_plan' },
        ]);
      },
    };
  }

  /** Opens a plan for a pupil the caller can see, at a school whose roll the pupil is on. */
  async open(body: z.output<typeof OpenPlanBody>, options: PlanCommandOptions): Promise<CommandResult> {
    const { principal } = options;
    const { pupilId, schoolUrn: asked, occurredOn, ...facts } = body;
    const pupil = await this.#deps.pupils.get(principal, pupilId);
    if (!pupil) {
      return rejected('unknown-reference', `No pupil ${pupilId} in your records: register the pupil first.`, [
        { pointer: '/body/pupilId', detail: 'is not a pupil in your records', code: 'unknown_pupil' },
      ]);
    }
    if (principal.schoolUrn && asked && asked !== principal.schoolUrn) {
      return refused('forbidden', 'School staff open plans at their own school only.');
    }
    const schoolUrn = asked ?? principal.schoolUrn ?? pupil.schoolUrn;
    if (schoolUrn === null || !pupil.onRollAt.includes(schoolUrn)) {
      return refused('validation', "A plan's school must be one whose roll the pupil is on.", [
        {
          pointer: '/body/schoolUrn',
          detail: `the pupil is on the roll of ${pupil.onRollAt.join(', ') || 'no school'}`,
          code: 'not_on_roll',
        },
      ]);
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

  /** Runs a command on plan `planId`; a plan the caller cannot see is not found, whoever's it is. */
  run(planId: string, request: PlanCommandRequest, options: PlanCommandOptions, status = 200): Promise<CommandResult> {
    const { principal, occurredOn, reference, returnMinimal } = options;
    const { tenant } = principal;
    const { contexts } = this.#deps;
    const policy = contexts.policyFor(tenant);
    const isNew = request.type === 'OpenPlan';
    const now = this.#deps.clock();
    return runCommand(this.#deps, this.#aggregate, {
      streamId: planStreamId(planId),
      command: planCommand(request, { principal, now, occurredOn }),
      context: (plan: Plan) => contexts.contextFor(tenant, plan.status === 'none' ? schoolOf(request) : plan.schoolUrn),
      options,
      ...(isNew
        ? {}
        : {
            existing: {
              isVisible: (plan: Plan) => isPlanVisibleTo(principal, plan),
              notFound: `No plan ${planId} in your records.`,
            },
          }),
      check: async (plan: Plan) =>
        (reference ? checkReference(plan, reference) : undefined) ?? (await this.#recordsErased(plan)),
      respond: (plan, version, advisories) => {
        if (returnMinimal) return { status, body: { planId, version, advisoriesRaised: advisories } };
        const view = viewOf(plan, policy);
        return { status, body: view && planCommandResponse(view, version, advisories) };
      },
    }).then((result) =>
      // A replay answers as the first request was answered, whatever this one prefers.
      returnMinimal && result.outcome === 'accepted' ? { ...result, preferenceApplied: 'return=minimal' } : result,
    );
  }

  /**
   * Nothing more is recorded in the plans of a pupil whose records were erased, not even a fact
   * without personal data (an attempt's scores): such a fact is still about the pupil, and its
   * answer would be the plan as this process remembers it, read before the erasure.
   */
  async #recordsErased(plan: Plan): Promise<CommandResult | undefined> {
    if (plan.status === 'none') return undefined;
    if (!(await this.#deps.cipher.erasedAmong([plan.pupilId], ['records'])).has(plan.pupilId)) return undefined;
    return rejected(
      'records-erased',
      `The records of pupil ${plan.pupilId} were erased: nothing more is recorded in their plans.`,
    );
  }
}

/**
 * The command the decider gets: who asks (the caller), `now` (when the request arrived) and, when
 * backdated, the date it happened; without one the domain dates the fact today in England.
 */
function planCommand(
  request: PlanCommandRequest,
  { principal, now, occurredOn }: { principal: Principal; now: Date; occurredOn?: string | undefined },
): PlanCommand {
  const actor = { id: principal.id, role: principal.role, tenant: principal.tenant };
  return {
    ...request,
    metadata: { actor, now: now.toISOString(), ...(occurredOn === undefined ? {} : { occurredOn }) },
  } as PlanCommand;
}

const schoolOf = (request: PlanCommandRequest): string | null =>
  request.type === 'OpenPlan' ? request.data.schoolUrn : null;
