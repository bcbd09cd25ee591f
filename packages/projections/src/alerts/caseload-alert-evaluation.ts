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
import { type RawBuilder, sql } from 'kysely';

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
  tenant: string;
  schoolUrn: string;
  schoolUrns: string;
}

interface HistoryRow extends OpenAlert {
  clearedAt: string | null;
}

/**
 * A plan's open alerts as stored, brought in line with what holds at an instant: new ones raised,
 * those whose condition ended cleared (their history row closed), the others' reason and since
 * refreshed. Only the kinds evaluated are touched. Changes are kept in memory and written by
 * {@link PlanAlerts.flush} in a few statements for many plans: a daily run changes thousands.
 */
export class PlanAlerts {
  readonly planId: string;
  readonly #open: Map<CaseloadAlertKind, OpenAlert>;
  readonly #dirty = new Set<CaseloadAlertKind>();
  /** History rows raised since loading, by kind and raising instant (cleared ones too). */
  readonly #raised = new Map<string, HistoryRow>();
  /** History rows raised before loading and cleared since. */
  readonly #closed: { kind: CaseloadAlertKind; raisedAt: string; clearedAt: string }[] = [];

  private constructor(planId: string, open: OpenAlert[]) {
    this.planId = planId;
    this.#open = new Map(open.map((alert) => [alert.kind, alert]));
  }

  static async load(tx: ReadModelTx, planIds: readonly string[]): Promise<Map<string, PlanAlerts>> {
    const rows =
      planIds.length === 0
        ? []
        : await tx.select<{
            plan_id: string;
            kind: CaseloadAlertKind;
            reason: string;
            since: string;
            raised_at: Date;
            tenant: string;
            school_urn: string;
            school_urns: string;
          }>(
            sql`select plan_id, kind, reason, since::text as since, raised_at, tenant, school_urn,
                  school_urns::text as school_urns
                from caseload_alerts where plan_id = any(${planIds}::uuid[])`,
          );
    const byPlan = new Map<string, OpenAlert[]>(planIds.map((planId) => [planId, []]));
    for (const row of rows) {
      byPlan.get(row.plan_id)?.push({
        kind: row.kind,
        reason: row.reason,
        since: row.since,
        raisedAt: row.raised_at.toISOString(),
        tenant: row.tenant,
        schoolUrn: row.school_urn,
        schoolUrns: row.school_urns,
      });
    }
    return new Map([...byPlan].map(([planId, open]) => [planId, new PlanAlerts(planId, open)]));
  }

  /** Judges the plan at `at`; returns how many alerts it raised and cleared. Nothing is written until `flush`. */
  reconcile(
    subject: AlertSubject & { plan: Plan; tenant: string },
    contextFor: AlertContextFor,
    at: Date,
    kinds: readonly CaseloadAlertKind[],
  ): { raised: number; cleared: number } {
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
        const alert = { ...now, ...where, raisedAt: atIso };
        this.#open.set(kind, alert);
        this.#dirty.add(kind);
        this.#raised.set(`${kind}|${atIso}`, { ...alert, clearedAt: null });
      } else if (open !== undefined && now === undefined) {
        cleared++;
        this.#open.delete(kind);
        this.#dirty.add(kind);
        const row = this.#raised.get(`${kind}|${open.raisedAt}`);
        if (row) row.clearedAt = atIso;
        else this.#closed.push({ kind, raisedAt: open.raisedAt, clearedAt: atIso });
      } else if (
        open !== undefined &&
        now !== undefined &&
        (open.reason !== now.reason || open.since !== now.since || open.schoolUrns !== where.schoolUrns)
      ) {
        this.#open.set(kind, { ...open, ...where, reason: now.reason, since: now.since });
        this.#dirty.add(kind);
      }
    }
    return { raised, cleared };
  }

  /** Writes what the books changed since they were loaded, in at most four statements. */
  static async flush(tx: ReadModelTx, books: Iterable<PlanAlerts>): Promise<void> {
    const touched: RawBuilder<unknown>[] = [];
    const open: RawBuilder<unknown>[] = [];
    const history: RawBuilder<unknown>[] = [];
    const closed: RawBuilder<unknown>[] = [];
    const row = (planId: string, a: OpenAlert) =>
      sql`${planId}::uuid, ${a.kind}::text, ${a.tenant}::text, ${a.schoolUrn}::text, ${a.schoolUrns}::jsonb,
        ${a.reason}::text, ${a.since}::date, ${a.raisedAt}::timestamptz`;
    for (const book of books) {
      for (const kind of book.#dirty) {
        touched.push(sql`(${book.planId}::uuid, ${kind}::text)`);
        const alert = book.#open.get(kind);
        if (alert) open.push(sql`(${row(book.planId, alert)})`);
      }
      for (const h of book.#raised.values()) history.push(sql`(${row(book.planId, h)}, ${h.clearedAt}::timestamptz)`);
      for (const c of book.#closed) {
        closed.push(
          sql`(${book.planId}::uuid, ${c.kind}::text, ${c.raisedAt}::timestamptz, ${c.clearedAt}::timestamptz)`,
        );
      }
      book.#dirty.clear();
      book.#raised.clear();
      book.#closed.length = 0;
    }
    if (touched.length > 0) {
      await tx.execute(sql`delete from caseload_alerts where (plan_id, kind) in (values ${sql.join(touched)})`);
    }
    if (open.length > 0) {
      await tx.execute(sql`
        insert into caseload_alerts (plan_id, kind, tenant, school_urn, school_urns, reason, since, raised_at)
        values ${sql.join(open)}`);
    }
    if (history.length > 0) {
      await tx.execute(sql`
        insert into caseload_alert_history
          (plan_id, kind, tenant, school_urn, school_urns, reason, since, raised_at, cleared_at)
        values ${sql.join(history)}
        on conflict (plan_id, kind, raised_at) do update set cleared_at = excluded.cleared_at,
          reason = excluded.reason, since = excluded.since`);
    }
    if (closed.length > 0) {
      await tx.execute(sql`
        update caseload_alert_history as h set cleared_at = c.cleared_at
        from (values ${sql.join(closed)}) as c (plan_id, kind, raised_at, cleared_at)
        where h.plan_id = c.plan_id and h.kind = c.kind and h.raised_at = c.raised_at`);
    }
  }
}
