import type { CaseloadAlertKind, Principal, Role } from '@small-steps/domain';
import { type Kysely, sql } from 'kysely';
import { decodeCursor, encodeCursor } from '../cursor.ts';

/** Who may read caseload alerts: an LA's officers and systems (their LA), school staff (their school). */
export const CASELOAD_ALERT_READERS = ['la_officer', 'la_system', 'school_staff'] as const satisfies readonly Role[];

export interface CaseloadAlertItem {
  planId: string;
  kind: CaseloadAlertKind;
  reason: string;
  since: string;
  schoolUrn: string;
  raisedAt: string;
}

export interface CaseloadAlertHistoryItem extends CaseloadAlertItem {
  clearedAt: string | null;
}

export interface CaseloadAlertQuery {
  kind?: CaseloadAlertKind | undefined;
  schoolUrn?: string | undefined;
  cursor?: string | undefined;
  limit: number;
}

interface AlertRow {
  plan_id: string;
  kind: CaseloadAlertKind;
  reason: string;
  since: string;
  school_urn: string;
  raised_at: Date;
}

const CURSOR_TAG = 'ca';
// since|planId|kind: the page order, oldest condition first.
const CURSOR_VALUE = /^\d{4}-\d{2}-\d{2}\|[0-9a-f-]{36}\|[a-z_]{1,40}$/;

const itemOf = (row: AlertRow): CaseloadAlertItem => ({
  planId: row.plan_id,
  kind: row.kind,
  reason: row.reason,
  since: row.since,
  schoolUrn: row.school_urn,
  raisedAt: row.raised_at.toISOString(),
});

/**
 * The caseload alerts a caller may see: their LA's, and for school staff only plans their school
 * takes part in (as `PlanReads` shows them). Alerts carry no names or free text: a plan id, a kind,
 * a reason in plain words, dates.
 */
export class CaseloadAlertReads {
  readonly #db: Kysely<object>;

  constructor(db: Kysely<object>) {
    this.#db = db;
  }

  /** A page of open alerts, oldest condition first; `next` is the cursor of the following page. */
  async list(
    principal: Principal,
    query: CaseloadAlertQuery,
  ): Promise<{ items: CaseloadAlertItem[]; next: string | null }> {
    assertReader(principal);
    const after =
      query.cursor === undefined
        ? undefined
        : decodeCursor(query.cursor, CURSOR_TAG, { isValue: (v) => CURSOR_VALUE.test(v) }).split('|');
    const schools = [principal.schoolUrn, query.schoolUrn].filter((urn): urn is string => Boolean(urn));
    const where = sql`tenant = ${principal.tenant}
      ${sql.join(
        schools.map((urn) => sql`and school_urns @> ${JSON.stringify([urn])}::jsonb`),
        sql` `,
      )}
      ${query.kind ? sql`and kind = ${query.kind}` : sql``}
      ${after ? sql`and (since, plan_id, kind) > (${after[0]}::date, ${after[1]}::uuid, ${after[2]})` : sql``}`;
    // A school's few dozen alerts are found through the GIN index on its URNs, then sorted. Written
    // plainly, a prepared statement's generic plan (which cannot see how rare the URN is) walks
    // the LA's alerts in page order instead, filtering each: 10 ms and more, not 1.
    const alerts = schools.length === 0 ? sql`caseload_alerts a where ${where}` : sql`school_alerts a`;
    const { rows } = await sql<AlertRow>`
      ${schools.length === 0 ? sql`` : sql`with school_alerts as materialized (select * from caseload_alerts where ${where})`}
      select plan_id, kind, reason, since::text as since, school_urn, raised_at from ${alerts}
      -- The column, not the text it is selected as: the page index is on the date.
      order by a.since, a.plan_id, a.kind
      limit ${query.limit + 1}`.execute(this.#db);
    const items = rows.slice(0, query.limit).map(itemOf);
    const last = items.at(-1);
    const next =
      rows.length > query.limit && last ? encodeCursor(CURSOR_TAG, `${last.since}|${last.planId}|${last.kind}`) : null;
    return { items, next };
  }

  /** Every alert a plan has had, open and cleared, newest first; undefined for a plan the caller may not see. */
  async history(principal: Principal, planId: string): Promise<CaseloadAlertHistoryItem[] | undefined> {
    assertReader(principal);
    const mine = sql`tenant = ${principal.tenant}
      ${principal.schoolUrn ? sql`and school_urns @> ${JSON.stringify([principal.schoolUrn])}::jsonb` : sql``}`;
    const visible = await sql`select 1 from plan_views where plan_id = ${planId}::uuid and ${mine}`.execute(this.#db);
    if (visible.rows.length === 0) return undefined;
    const { rows } = await sql<AlertRow & { cleared_at: Date | null }>`
      select plan_id, kind, reason, since::text as since, school_urn, raised_at, cleared_at from caseload_alert_history
      where plan_id = ${planId}::uuid and ${mine}
      order by raised_at desc, kind
      limit 1000`.execute(this.#db);
    return rows.map((row) => ({ ...itemOf(row), clearedAt: row.cleared_at?.toISOString() ?? null }));
  }
}

function assertReader(principal: Principal): void {
  if (!(CASELOAD_ALERT_READERS as readonly Role[]).includes(principal.role)) {
    throw new Error(`The ${principal.role} role may not read caseload alerts.`);
  }
  if (principal.role === 'school_staff' && !principal.schoolUrn) {
    throw new Error('School staff read alerts only with their school.');
  }
}
