import { planEventCodec } from '@small-steps/contracts';
import { type Plan, planEventTypes } from '@small-steps/domain';
import { sql } from 'kysely';
import { byStream, type Projection } from '../projection.ts';
import type { StreamStates } from '../stream-states.ts';
import { type AlertContextFor, PLAN_ALERT_KINDS, PlanAlerts } from './caseload-alert-evaluation.ts';

export const CASELOAD_ALERTS = 'caseload_alerts';

export interface CaseloadAlertsDependencies {
  states: StreamStates<Plan>;
  contextFor: AlertContextFor;
}

/**
 * The open caseload alerts of each plan and their history, kept from the plan's events: after each
 * event the plan is judged as of the day it was recorded (`recordedAt`, never the clock), so a
 * rebuild raises and clears the same alerts at the same instants whatever its batches. Alerts that
 * fall due as days pass with no event, and those read from attendance, are the scheduled
 * evaluation's (`CaseloadAlertSchedule`).
 */
export function caseloadAlertsProjection({ states, contextFor }: CaseloadAlertsDependencies): Projection {
  return {
    name: CASELOAD_ALERTS,
    handles: new Set(planEventTypes),
    tables: ['caseload_alert_plans', 'caseload_alerts', 'caseload_alert_history'],
    async apply(events, tx) {
      const streams = byStream(events);
      const planIds = [...streams.keys()].map((streamId) => streamId.slice('plan-'.length));
      const books = await PlanAlerts.load(tx, planIds);
      const contacts = new Map(
        (
          await tx.select<{ plan_id: string; last: string | null }>(sql`
            select plan_id, last_family_contact_on::text as last from caseload_alert_plans
            where plan_id = any(${planIds}::uuid[])`)
        ).map((row) => [row.plan_id, row.last]),
      );
      for (const [streamId, stream] of streams) {
        const planId = streamId.slice('plan-'.length);
        const book = books.get(planId) as PlanAlerts;
        const first = stream[0]!;
        let state =
          first.version === 1 ? undefined : await states.load(streamId, first.version - 1, tx.readStream.bind(tx));
        let lastContact = contacts.get(planId) ?? null;
        for (const event of stream) {
          state = states.follow(state, [event]);
          for (const fact of planEventCodec.decode(event)) {
            if (fact.type === 'FamilyContactRecorded' && (lastContact === null || fact.data.occurredOn > lastContact)) {
              lastContact = fact.data.occurredOn;
            }
          }
          const plan = state.state;
          if (plan.status === 'none') continue;
          book.reconcile(
            { plan, tenant: state.ownerTenant, lastFamilyContactOn: lastContact },
            contextFor,
            event.recordedAt,
            PLAN_ALERT_KINDS,
          );
        }
        if (state === undefined) continue;
        const known = state;
        tx.afterCommit(() => states.remember(streamId, known));
        const plan = known.state;
        if (plan.status === 'none') continue;
        await tx.execute(sql`
          insert into caseload_alert_plans (plan_id, tenant, pupil_id, open, last_family_contact_on)
          values (${planId}::uuid, ${known.ownerTenant}, ${plan.pupilId}::uuid, ${plan.status !== 'closed'},
            ${lastContact}::date)
          on conflict (plan_id) do update set open = excluded.open,
            last_family_contact_on = excluded.last_family_contact_on`);
      }
      await PlanAlerts.flush(tx, books.values());
    },
  };
}
