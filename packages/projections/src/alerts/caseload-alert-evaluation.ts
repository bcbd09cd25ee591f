import {
  type AlertSubject,
  ATTENDANCE_ALERT_KINDS,
  CASELOAD_ALERT_KINDS,
  type CaseloadAlert,
  type CaseloadAlertKind,
  type CaseloadAlertPolicy,
  caseloadAlertsOf,
  dateInEngland,
  type Plan,
  type SchoolCalendar,
} from '@small-steps/domain';
import type { ReadModelTx } from '@small-steps/event-store';
import { sql } from 'kysely';

/** The policy and calendar alerts are judged by: the tenant's, with the calendar of the plan's school. */
export type AlertContextFor = (
  tenant: string,
  schoolUrn: string,
) => { policy: { caseloadAlerts: CaseloadAlertPolicy }; calendar: SchoolCalendar };

/** The kinds read from the plan alone, which each plan event re-evaluates. */
export const PLAN_ALERT_KINDS: readonly CaseloadAlertKind[] = CASELOAD_ALERT_KINDS.filter(
  (kind) => !ATTENDANCE_ALERT_KINDS.includes(kind),
);

interface OpenAlert {
  kind: CaseloadAlertKind;
  reason: string;
  since: string;
  raisedAt: string;
}

/**
 * A plan's open alerts as stored, brought in line with what holds at an instant: new ones raised,
 * those whose condition ended cleared (their history row closed), the others' reason and since
 * refreshed. Only the kinds evaluated are touched.
 */
export class PlanAlerts {
  readonly planId: string;
  readonly #open: Map<CaseloadAlertKind, OpenAlert>;

  private constructor(planId: string, open: OpenAlert[]) {
    this.planId = planId;
    this.#open = new Map(open.map((alert) => [alert.kind, alert]));
  }

  static async load(tx: ReadModelTx, planIds: readonly string[]): Promise<Map<string, PlanAlerts>> {
    const rows =
      planIds.length === 0
        ? []
        : await tx.select<{ plan_id: string; kind: CaseloadAlertKind; reason: string; since: string; raised_at: Date }>(
            sql`select plan_id, kind, reason, since::text as since, raised_at from caseload_alerts
                where plan_id = any(${planIds}::uuid[])`,
          );
    return new Map(
      planIds.map((planId) => [
        planId,
        new PlanAlerts(
          planId,
          rows
            .filter((row) => row.plan_id === planId)
            .map((row) => ({
              kind: row.kind,
              reason: row.reason,
              since: row.since,
              raisedAt: row.raised_at.toISOString(),
            })),
        ),
      ]),
    );
  }

  /** Evaluates the plan at `at` and writes what changed; returns how many alerts it raised and cleared. */
  async reconcile(
    tx: ReadModelTx,
    subject: AlertSubject & { plan: Plan; tenant: string },
    contextFor: AlertContextFor,
    at: Date,
    kinds: readonly CaseloadAlertKind[],
  ): Promise<{ raised: number; cleared: number }> {
    const { plan, tenant } = subject;
    if (plan.status === 'none') return { raised: 0, cleared: 0 };
    const { policy, calendar } = contextFor(tenant, plan.schoolUrn);
    const today = dateInEngland(at.toISOString());
    const holding =
      plan.status === 'closed'
        ? new Map<CaseloadAlertKind, CaseloadAlert>()
        : new Map(
            caseloadAlertsOf(subject, { policy: policy.caseloadAlerts, calendar, today }, kinds).map((a) => [
              a.kind,
              a,
            ]),
          );
    const where = { tenant, schoolUrn: plan.schoolUrn, schoolUrns: JSON.stringify(plan.settings.map((s) => s.urn)) };
    const atIso = at.toISOString();
    let [raised, cleared] = [0, 0];
    const evaluated = plan.status === 'closed' ? [...this.#open.keys()] : kinds;
    for (const kind of evaluated) {
      const open = this.#open.get(kind);
      const now = holding.get(kind);
      if (open === undefined && now !== undefined) {
        raised++;
        this.#open.set(kind, { ...now, raisedAt: atIso });
        await tx.execute(sql`
          insert into caseload_alerts (plan_id, kind, tenant, school_urn, school_urns, reason, since, raised_at)
          values (${this.planId}::uuid, ${kind}, ${where.tenant}, ${where.schoolUrn}, ${where.schoolUrns}::jsonb,
            ${now.reason}, ${now.since}::date, ${atIso}::timestamptz)`);
        await tx.execute(sql`
          insert into caseload_alert_history (plan_id, kind, tenant, school_urn, school_urns, reason, since, raised_at)
          values (${this.planId}::uuid, ${kind}, ${where.tenant}, ${where.schoolUrn}, ${where.schoolUrns}::jsonb,
            ${now.reason}, ${now.since}::date, ${atIso}::timestamptz)
          on conflict (plan_id, kind, raised_at) do update set cleared_at = null, reason = excluded.reason,
            since = excluded.since`);
      } else if (open !== undefined && now === undefined) {
        cleared++;
        this.#open.delete(kind);
        await tx.execute(sql`delete from caseload_alerts where plan_id = ${this.planId}::uuid and kind = ${kind}`);
        await tx.execute(sql`
          update caseload_alert_history set cleared_at = ${atIso}::timestamptz
          where plan_id = ${this.planId}::uuid and kind = ${kind} and raised_at = ${open.raisedAt}::timestamptz`);
      } else if (open !== undefined && now !== undefined && (open.reason !== now.reason || open.since !== now.since)) {
        this.#open.set(kind, { ...open, reason: now.reason, since: now.since });
        await tx.execute(sql`
          update caseload_alerts set reason = ${now.reason}, since = ${now.since}::date,
            school_urn = ${where.schoolUrn}, school_urns = ${where.schoolUrns}::jsonb
          where plan_id = ${this.planId}::uuid and kind = ${kind}`);
      }
    }
    return { raised, cleared };
  }
}
