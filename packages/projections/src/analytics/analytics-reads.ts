import {
  type AttendanceRise,
  attendanceRiseAfterOpening,
  type Cell,
  type CountsTable,
  medianOf,
  type PlanStatus,
  type Principal,
  planOutcomes,
  rateOf,
  SUPPRESSED,
  type SuppressedTable,
  suppressJointly,
  suppressSmallCounts,
  weeksFrom,
} from '@small-steps/domain';
import type { SqlStorage } from '@small-steps/event-store';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AnalyticsSchema } from './analytics-migration.ts';

export const PLAN_STATUSES = ['gathering', 'active', 'paused', 'closed'] as const satisfies readonly PlanStatus[];
export const PLAN_GROUPINGS = ['school', 'yearGroup', 'senNeed'] as const;
export type PlanGrouping = (typeof PLAN_GROUPINGS)[number];
export const ATTENDANCE_GROUPINGS = ['school', 'yearGroup'] as const;
export type AttendanceGrouping = (typeof ATTENDANCE_GROUPINGS)[number];

/** Who may read analytics: the analysts of an LA, and its administrators. */
export const ANALYTICS_READERS = ['analyst', 'admin'] as const;

export interface AnalyticsFilter {
  schoolUrn?: string;
  yearGroup?: string;
  senNeed?: string;
}

/** A published line: its group (a school URN, a year group, a need, or `total`) and its cells. */
export interface CountsRow<K extends string> {
  group: string;
  counts: Record<K, Cell>;
  total: Cell;
}

export interface PlansByStatus {
  by: PlanGrouping;
  rows: CountsRow<(typeof PLAN_STATUSES)[number]>[];
  totals: CountsRow<(typeof PLAN_STATUSES)[number]>;
}

export interface PlanOutcomesRow {
  group: string;
  closed: CountsRow<(typeof planOutcomes)[number]>['counts'] & { total: Cell };
  /** Plans with at least one step mastered, and the median weeks from opening to the first. */
  plansWithMasteredStep: Cell;
  medianWeeksToFirstMasteredStep: Cell | null;
  /** Plans whose pupil's attendance rose 10 points within 12 weeks of opening, of those where it is known. */
  attendanceRose: Cell;
  attendanceDidNotRise: Cell;
  attendanceRoseShare: Cell | null;
}

export interface PlanOutcomes {
  by: PlanGrouping;
  rows: PlanOutcomesRow[];
  totals: PlanOutcomesRow;
}

export interface AttendanceWeekRow {
  weekStart: string;
  group: string;
  pupils: Cell;
  /** Sessions attended of those possible in the week, for the pupils of the row. */
  rate: Cell | null;
  /** Pupils persistently absent (10 % or more missed) over the year to the week's end. */
  persistentAbsence: Cell;
  /** Pupils severely absent (50 % or more missed) over the year to the week's end. */
  severeAbsence: Cell;
}

export interface AttendanceAnalytics {
  by: AttendanceGrouping;
  academicYear: number | null;
  rows: AttendanceWeekRow[];
}

const pupilsJoin = sql`left join analytics_pupils u on u.tenant = w.tenant and u.pupil_key = w.pupil_key`;

interface AttendanceGroupWeek {
  week_start: string;
  grp: string;
  pupils: number;
  possible: number;
  attended: number;
  persistent: number;
  severe: number;
}

const groupColumn = (by: PlanGrouping, school: RawBuilder<unknown>): RawBuilder<string> =>
  by === 'school'
    ? sql<string>`${school}`
    : by === 'yearGroup'
      ? sql<string>`coalesce(u.year_group, 'unknown')`
      : sql<string>`coalesce(u.primary_need, 'none')`;

/**
 * Pseudonymous figures of an LA for analysts (docs/domain.md §3 "Analytics"), every count published
 * through `small-number-suppression`. The tables hold no ids; nothing here returns a pseudonym either.
 */
export class AnalyticsReads {
  readonly #db: Kysely<AnalyticsSchema>;
  constructor(db: SqlStorage['db']) {
    this.#db = db.withTables<AnalyticsSchema>();
  }

  async plansByStatus(principal: Principal, by: PlanGrouping, filter: AnalyticsFilter): Promise<PlansByStatus> {
    const { rows } = await sql<{ grp: string; status: string; outcome: string | null; pupil_key: string }>`
      select ${groupColumn(by, sql`p.school_urn`)} as grp, p.status, p.outcome, p.pupil_key
      from analytics_plans p left join analytics_pupils u on u.tenant = p.tenant and u.pupil_key = p.pupil_key
      where p.tenant = ${principal.tenant} ${filterSql(filter, sql`p.school_urn`)}`.execute(this.#db);
    const table = statusAndOutcomes(groupsOf(rows), rows).byStatus;
    return { by, rows: table.rows, totals: table.totals };
  }

  async planOutcomes(principal: Principal, by: PlanGrouping, filter: AnalyticsFilter): Promise<PlanOutcomes> {
    const { rows: plans } = await sql<{
      grp: string;
      plan_key: string;
      status: string;
      opened_on: string;
      first_mastered_on: string | null;
      outcome: string | null;
      school_urn: string;
      pupil_key: string;
    }>`
      select ${groupColumn(by, sql`p.school_urn`)} as grp, p.plan_key, p.status, p.opened_on::text as opened_on,
        p.first_mastered_on::text as first_mastered_on, p.outcome, p.school_urn, p.pupil_key
      from analytics_plans p left join analytics_pupils u on u.tenant = p.tenant and u.pupil_key = p.pupil_key
      where p.tenant = ${principal.tenant} ${filterSql(filter, sql`p.school_urn`)}
      order by 1, 2`.execute(this.#db);
    // The weeks around each opening: 9 weeks before (4 with sessions, holidays between) to 17 after.
    const { rows: weeks } = await sql<{ plan_key: string; week_start: string; possible: number; attended: number }>`
      select p.plan_key, w.week_start::text as week_start, w.possible, w.attended
      from analytics_plans p join analytics_attendance_weeks w
        on w.tenant = p.tenant and w.pupil_key = p.pupil_key and w.school_urn = p.school_urn
        and w.week_start between p.opened_on - 63 and p.opened_on + 119
      left join analytics_pupils u on u.tenant = p.tenant and u.pupil_key = p.pupil_key
      where p.tenant = ${principal.tenant} ${filterSql(filter, sql`p.school_urn`)}`.execute(this.#db);
    const weeksOf = new Map<string, { weekStart: string; possible: number; attended: number }[]>();
    for (const w of weeks) {
      const list = weeksOf.get(w.plan_key) ?? [];
      list.push({ weekStart: w.week_start, possible: w.possible, attended: w.attended });
      weeksOf.set(w.plan_key, list);
    }
    const rise = new Map<string, AttendanceRise>(
      plans.map((p) => [p.plan_key, attendanceRiseAfterOpening(weeksOf.get(p.plan_key) ?? [], p.opened_on)]),
    );
    const groups = groupsOf(plans);
    const byGroup = Map.groupBy(plans, (p) => p.grp);
    const inGroup = (group: string) => byGroup.get(group) ?? [];
    const closed = statusAndOutcomes(groups, plans).byOutcome;
    const mastered = publish(
      countPlans(groups, ['plans'] as const, (group) => inGroup(group).filter((p) => p.first_mastered_on !== null)),
    );
    const rose = publish(
      countPlans(groups, ['rose', 'did_not_rise'] as const, (group, kind) =>
        inGroup(group).filter((p) => rise.get(p.plan_key) === kind),
      ),
    );
    const weeksToMastery = (list: typeof plans) =>
      medianOf(
        list.filter((p) => p.first_mastered_on !== null).map((p) => weeksFrom(p.opened_on, p.first_mastered_on!)),
      );
    const rowOf = (i: number | 'totals', list: typeof plans): PlanOutcomesRow => {
      const c = i === 'totals' ? closed.totals : closed.rows[i]!;
      const m = i === 'totals' ? mastered.totals : mastered.rows[i]!;
      const r = i === 'totals' ? rose.totals : rose.rows[i]!;
      const shown = typeof r.counts.rose === 'number' && typeof r.counts.did_not_rise === 'number';
      return {
        group: c.group,
        closed: { ...c.counts, total: c.total },
        plansWithMasteredStep: m.total,
        medianWeeksToFirstMasteredStep: m.total === SUPPRESSED ? SUPPRESSED : weeksToMastery(list),
        attendanceRose: r.counts.rose,
        attendanceDidNotRise: r.counts.did_not_rise,
        attendanceRoseShare: shown
          ? rateOf(r.counts.rose as number, (r.counts.rose as number) + (r.counts.did_not_rise as number))
          : SUPPRESSED,
      };
    };
    return { by, rows: groups.map((group, i) => rowOf(i, inGroup(group))), totals: rowOf('totals', plans) };
  }

  async attendance(
    principal: Principal,
    by: AttendanceGrouping,
    filter: AnalyticsFilter & { academicYear?: number; from?: string; to?: string },
  ): Promise<AttendanceAnalytics> {
    const year =
      filter.academicYear ??
      (
        await sql<{ year: number | null }>`
          select max(academic_year) as year from analytics_attendance_weeks where tenant = ${principal.tenant}`.execute(
          this.#db,
        )
      ).rows[0]?.year ??
      null;
    if (year === null) return { by, academicYear: null, rows: [] };
    const weeks = sql`
      w.tenant = ${principal.tenant} and w.academic_year = ${year}
        ${filter.schoolUrn === undefined ? sql`` : sql`and w.school_urn = ${filter.schoolUrn}`}
        ${filter.from === undefined ? sql`` : sql`and w.week_start >= ${filter.from}::date`}
        ${filter.to === undefined ? sql`` : sql`and w.week_start <= ${filter.to}::date`}`;
    const pupilFilter = filterSql({ yearGroup: filter.yearGroup, senNeed: filter.senNeed }, sql``);
    const { rows } = await (by === 'school'
      ? // Weeks by school need no pupil record unless filtered by one; the join is most of an LA-wide read.
        sql<AttendanceGroupWeek>`
          select w.week_start::text as week_start, w.school_urn as grp,
            count(*)::int as pupils, sum(w.possible)::int as possible, sum(w.attended)::int as attended,
            (count(*) filter (where w.persistent_absence))::int as persistent,
            (count(*) filter (where w.severe_absence))::int as severe
          from analytics_attendance_weeks w
            ${filter.yearGroup === undefined && filter.senNeed === undefined ? sql`` : pupilsJoin}
          where ${weeks} ${pupilFilter}
          group by 1, 2 order by 1, 2`
      : // A pupil on two schools' rolls is one pupil of one year group: their weeks at each school are
        // added together, and they are persistently (severely) absent if they are at either school.
        // Only such pupils' weeks (marked `on_other_roll`) need folding; the rest are one row a week.
        sql<AttendanceGroupWeek>`
          select week_start, grp, sum(pupils)::int as pupils, sum(possible)::int as possible,
            sum(attended)::int as attended, sum(persistent)::int as persistent, sum(severe)::int as severe
          from (
            select w.week_start::text as week_start, coalesce(u.year_group, 'unknown') as grp,
              count(*) as pupils, sum(w.possible) as possible, sum(w.attended) as attended,
              count(*) filter (where w.persistent_absence) as persistent,
              count(*) filter (where w.severe_absence) as severe
            from analytics_attendance_weeks w ${pupilsJoin}
            where ${weeks} and not w.on_other_roll ${pupilFilter}
            group by 1, 2
            union all
            select w.week_start::text, coalesce(u.year_group, 'unknown'), count(*), sum(w.possible), sum(w.attended),
              count(*) filter (where w.persistent_absence), count(*) filter (where w.severe_absence)
            from (
              select w.tenant, w.pupil_key, w.week_start, sum(w.possible) as possible, sum(w.attended) as attended,
                bool_or(w.persistent_absence) as persistent_absence, bool_or(w.severe_absence) as severe_absence
              from analytics_attendance_weeks w where ${weeks} and w.on_other_roll
              group by w.tenant, w.pupil_key, w.week_start
            ) w ${pupilsJoin}
            where true ${pupilFilter}
            group by 1, 2
          ) parts
          group by 1, 2 order by 1, 2`
    ).execute(this.#db);
    const published: AttendanceWeekRow[] = [];
    for (const weekStart of [...new Set(rows.map((r) => r.week_start))]) {
      const week = rows.filter((r) => r.week_start === weekStart);
      // Pupils split three ways that add up to the row's pupils: severe, persistent but not severe, neither.
      const table = suppressSmallCounts(week.map((r) => [r.severe, r.persistent - r.severe, r.pupils - r.persistent]));
      const line = (
        group: string,
        cells: Cell[],
        total: Cell,
        possible: number,
        attended: number,
      ): AttendanceWeekRow => {
        const [severe, persistentOnly] = cells as [Cell, Cell];
        return {
          weekStart,
          group,
          pupils: total,
          rate: total === SUPPRESSED ? SUPPRESSED : rateOf(attended, possible),
          persistentAbsence:
            typeof severe === 'number' && typeof persistentOnly === 'number' ? severe + persistentOnly : SUPPRESSED,
          severeAbsence: severe,
        };
      };
      week.forEach((r, i) => {
        published.push(line(r.grp, table.cells[i]!, table.rowTotals[i]!, r.possible, r.attended));
      });
      const sum = (field: 'possible' | 'attended') => week.reduce((total, r) => total + r[field], 0);
      published.push(line('total', table.columnTotals, table.total, sum('possible'), sum('attended')));
    }
    return { by, academicYear: year, rows: published };
  }
}

function filterSql(filter: AnalyticsFilter, school: RawBuilder<unknown>): RawBuilder<unknown> {
  return sql.join(
    [
      sql``,
      ...(filter.schoolUrn === undefined ? [] : [sql`${school} = ${filter.schoolUrn}`]),
      ...(filter.yearGroup === undefined ? [] : [sql`u.year_group = ${filter.yearGroup}`]),
      ...(filter.senNeed === undefined ? [] : [sql`u.primary_need = ${filter.senNeed}`]),
    ],
    sql` and `,
  );
}

const groupsOf = (rows: readonly { grp: string }[]): string[] => [...new Set(rows.map((r) => r.grp))].sort();

/** The plans of each group and column, as counts and the distinct pupils behind each. */
interface PlansTable<K extends string> {
  groups: readonly string[];
  columns: readonly K[];
  table: CountsTable;
}

/**
 * The plans of each group and column counted for `small-number-suppression`: a count is judged by
 * the distinct pupils behind it, not its plans, since a pupil may have had more than one plan (one
 * closed, then another opened).
 */
function countPlans<K extends string>(
  groups: readonly string[],
  columns: readonly K[],
  plansOf: (group: string, column: K) => readonly { pupil_key: string }[],
): PlansTable<K> {
  const cells = groups.map((group) => columns.map((column) => plansOf(group, column)));
  const pupils = (lists: readonly (readonly { pupil_key: string }[])[]): number =>
    new Set(lists.flatMap((list) => list.map((plan) => plan.pupil_key))).size;
  return {
    groups,
    columns,
    table: {
      counts: cells.map((line) => line.map((list) => list.length)),
      pupils: {
        cells: cells.map((line) => line.map((list) => pupils([list]))),
        rowTotals: cells.map(pupils),
        columnTotals: columns.map((_, c) => pupils(cells.map((line) => line[c]!))),
        total: pupils(cells.flat()),
      },
    },
  };
}

/** A suppressed table as published lines, with a `total` line. */
function linesOf<K extends string>(
  { groups, columns }: PlansTable<K>,
  table: SuppressedTable,
): { rows: CountsRow<K>[]; totals: CountsRow<K> } {
  const row = (group: string, cells: readonly Cell[], total: Cell): CountsRow<K> => ({
    group,
    counts: Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? 0])) as Record<K, Cell>,
    total,
  });
  return {
    rows: groups.map((group, i) => row(group, table.cells[i]!, table.rowTotals[i]!)),
    totals: row(
      'total',
      groups.length === 0 ? columns.map(() => 0) : table.columnTotals,
      groups.length === 0 ? 0 : table.total,
    ),
  };
}

/** One table of plans published on its own. */
function publish<K extends string>(plans: PlansTable<K>): { rows: CountsRow<K>[]; totals: CountsRow<K> } {
  return linesOf(plans, suppressSmallCounts(plans.table.counts, plans.table.pupils));
}

/**
 * Plans by status and the closed ones by outcome, published together: a group's closed plans are
 * a cell of the first and the total of its line in the second, and so are all closed plans, so a
 * count hidden in one is hidden in the other (`suppressJointly`). Both routes publish these two the
 * same way, so neither answer shows what the other hides.
 */
function statusAndOutcomes(
  groups: readonly string[],
  plans: readonly { grp: string; status: string; outcome: string | null; pupil_key: string }[],
) {
  const byStatusCell = Map.groupBy(plans, (p) => `${p.grp}|${p.status}`);
  const byOutcomeCell = Map.groupBy(plans, (p) => `${p.grp}|${p.outcome}`);
  const byStatus = countPlans(groups, PLAN_STATUSES, (group, status) => byStatusCell.get(`${group}|${status}`) ?? []);
  const byOutcome = countPlans(
    groups,
    planOutcomes,
    (group, outcome) => byOutcomeCell.get(`${group}|${outcome}`) ?? [],
  );
  const closed = PLAN_STATUSES.indexOf('closed');
  const [status, outcome] = suppressJointly(
    [byStatus.table, byOutcome.table],
    [...groups.keys(), 'total' as const].map(
      (row) =>
        [
          { table: 0, row, column: closed },
          { table: 1, row, column: 'total' },
        ] as const,
    ),
  );
  return { byStatus: linesOf(byStatus, status!), byOutcome: linesOf(byOutcome, outcome!) };
}
