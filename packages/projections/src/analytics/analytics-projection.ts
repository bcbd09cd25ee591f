import { createHash } from 'node:crypto';
import { attendanceEventCodec, planEventCodec, pupilEventCodec } from '@small-steps/contracts';
import {
  type AttendanceCode,
  academicYearOf,
  academicYearRange,
  addDays,
  attendanceMarksFrom,
  attendanceTrend,
  isoWeekday,
  sessionKeyOf,
  weeksToDate,
} from '@small-steps/domain';
import type { ReadModelTx, RecordedEvent } from '@small-steps/event-store';
import { sql } from 'kysely';
import type { PersonalCipher } from '../personal-cipher.ts';
import type { Projection } from '../projection.ts';
import { arrayLiteral } from '../sql-arrays.ts';

const PLAN_EVENTS = ['PlanOpened', 'PlanActivated', 'PlanPaused', 'PlanResumed', 'PlanClosed', 'StepMastered'];
const PUPIL_EVENTS = ['PupilRegistered', 'PupilDetailsCorrected'];
const ATTENDANCE_EVENTS = ['AttendanceRecorded', 'AttendanceCorrected'];

/** The tenant key's purpose: analytics pseudonyms are keyed apart from anything else. */
const PSEUDONYM_PURPOSE = 'analytics-pseudonym';

export interface AnalyticsDependencies {
  /** Gives the keyed hash the pseudonyms are made from. */
  cipher: PersonalCipher;
}

/**
 * Pseudonymous figures for analysts (docs/domain.md §3 "Analytics"): each plan's status, school,
 * opening, first mastery and outcome; each pupil's year group and primary need; and each pupil's
 * register at each school, week by week with the year to date. Kept from the log by the worker.
 * Pupils and plans are stored only as keyed pseudonyms, never as ids, names, UPNs, dates of birth or
 * free text, so nothing an analyst can reach through these tables names a child.
 */
export function analyticsProjection({ cipher }: AnalyticsDependencies): Projection {
  return {
    name: 'analytics',
    handles: new Set([...PLAN_EVENTS, ...PUPIL_EVENTS, ...ATTENDANCE_EVENTS]),
    tables: ['analytics_pupils', 'analytics_plans', 'analytics_attendance_sessions', 'analytics_attendance_weeks'],
    async apply(events, tx) {
      const keys = new Map<string, string>();
      const pseudonym = async (tenant: string, kind: 'pupil' | 'plan', id: string): Promise<string> => {
        const name = `${tenant}|${kind}|${id}`;
        let key = keys.get(name);
        if (key === undefined) {
          // Hashed once more, so that a store without a master key (whose keyed hash is the value
          // itself) still never keeps an id here.
          const keyed = await cipher.keyedHash(tenant, PSEUDONYM_PURPOSE, `${kind}:${id}`, tx);
          key = createHash('sha256').update(keyed).digest('base64url').slice(0, 32);
          keys.set(name, key);
        }
        return key;
      };
      const touched = new Map<string, Register>();
      for (const event of events) {
        const tenant = event.metadata.actor.tenant;
        if (event.streamId.startsWith('plan-')) {
          const planKey = await pseudonym(tenant, 'plan', event.streamId.slice('plan-'.length));
          await applyPlanEvent(event, tx, tenant, planKey, (pupilId) => pseudonym(tenant, 'pupil', pupilId));
        } else if (PUPIL_EVENTS.includes(event.type)) {
          await applyPupilEvent(event, tx, tenant, (pupilId) => pseudonym(tenant, 'pupil', pupilId));
        } else {
          const marks = attendanceMarksFrom(attendanceEventCodec.decode(event));
          if (marks.length === 0) continue;
          // The last version of each session in the event: one statement may not change a row twice.
          const latest = [...new Map(marks.map((mark) => [sessionKeyOf(mark), mark])).values()];
          const rows = await Promise.all(
            latest.map(async (mark) => ({ ...mark, pupilKey: await pseudonym(tenant, 'pupil', mark.pupilId) })),
          );
          for (const row of rows) {
            const year = academicYearOf(row.date);
            const key = `${tenant}|${row.pupilKey}|${row.schoolUrn}|${year}`;
            const known = touched.get(key);
            if (known === undefined) {
              touched.set(key, { tenant, pupilKey: row.pupilKey, schoolUrn: row.schoolUrn, year, from: row.date });
            } else if (row.date < known.from) known.from = row.date;
          }
          await tx.execute(sql`
            insert into analytics_attendance_sessions (tenant, pupil_key, school_urn, date, session, code)
            select ${tenant}, mark.pupil_key, mark.school_urn, mark.date, mark.session, mark.code
            from unnest(${arrayLiteral(rows, (r) => r.pupilKey)}::text[], ${arrayLiteral(rows, (r) => r.schoolUrn)}::text[],
              ${arrayLiteral(rows, (r) => r.date)}::date[], ${arrayLiteral(rows, (r) => r.session)}::text[],
              ${arrayLiteral(rows, (r) => r.code)}::text[]) as mark(pupil_key, school_urn, date, session, code)
            on conflict (tenant, pupil_key, school_urn, date, session) do update set code = excluded.code`);
        }
      }
      if (touched.size > 0) await updateWeeks(tx, [...touched.values()]);
    },
  };
}

async function applyPlanEvent(
  event: RecordedEvent,
  tx: ReadModelTx,
  tenant: string,
  planKey: string,
  pupilKeyOf: (pupilId: string) => Promise<string>,
): Promise<void> {
  const where = sql`tenant = ${tenant} and plan_key = ${planKey}`;
  // Status moves as the plan's own `evolvePlan` moves it: an event that does not apply changes nothing.
  for (const fact of planEventCodec.decode(event)) {
    switch (fact.type) {
      case 'PlanOpened':
        await tx.execute(sql`
          insert into analytics_plans (tenant, plan_key, pupil_key, school_urn, status, opened_on)
          values (${tenant}, ${planKey}, ${await pupilKeyOf(fact.data.pupilId)}, ${fact.data.schoolUrn}, 'gathering',
            ${fact.data.occurredOn}::date)
          on conflict (tenant, plan_key) do nothing`);
        break;
      case 'PlanActivated':
        await tx.execute(sql`update analytics_plans set status = 'active' where ${where} and status = 'gathering'`);
        break;
      case 'PlanPaused':
        await tx.execute(sql`update analytics_plans set status = 'paused' where ${where} and status = 'active'`);
        break;
      case 'PlanResumed':
        await tx.execute(sql`update analytics_plans set status = 'active' where ${where} and status = 'paused'`);
        break;
      case 'PlanClosed':
        await tx.execute(sql`
          update analytics_plans set status = 'closed', closed_on = ${fact.data.occurredOn}::date,
            outcome = ${fact.data.outcome}
          where ${where} and status <> 'closed'`);
        break;
      case 'StepMastered':
        // The earliest mastery, whatever order the masteries were recorded in.
        await tx.execute(sql`
          update analytics_plans set first_mastered_on = least(first_mastered_on, ${fact.data.occurredOn}::date)
          where ${where}`);
        break;
    }
  }
}

async function applyPupilEvent(
  event: RecordedEvent,
  tx: ReadModelTx,
  tenant: string,
  pupilKeyOf: (pupilId: string) => Promise<string>,
): Promise<void> {
  for (const fact of pupilEventCodec.decode(event)) {
    if (fact.type === 'PupilRegistered') {
      const key = await pupilKeyOf(fact.data.pupilId);
      await tx.execute(sql`
        insert into analytics_pupils (tenant, pupil_key, year_group, primary_need)
        values (${tenant}, ${key}, ${fact.data.yearGroup}, ${primaryNeed(fact.data.needs)})
        on conflict (tenant, pupil_key) do nothing`);
    } else if (fact.type === 'PupilDetailsCorrected') {
      const key = await pupilKeyOf(fact.data.pupilId);
      const { yearGroup, needs } = fact.data;
      if (yearGroup !== undefined) {
        await tx.execute(sql`update analytics_pupils set year_group = ${yearGroup}
          where tenant = ${tenant} and pupil_key = ${key}`);
      }
      if (needs !== undefined) {
        await tx.execute(sql`update analytics_pupils set primary_need = ${primaryNeed(needs)}
          where tenant = ${tenant} and pupil_key = ${key}`);
      }
    }
  }
}

const primaryNeed = (needs: readonly { need: string; rank: number }[]): string | null =>
  [...needs].sort((a, b) => a.rank - b.rank)[0]?.need ?? null;

/** One pupil's register at one school in one academic year, and the earliest date the events touched. */
interface Register {
  tenant: string;
  pupilKey: string;
  schoolUrn: string;
  year: number;
  from: string;
}

// Registers per statement.
const REGISTERS_PER_STATEMENT = 1000;

/**
 * The weeks of each register from the week of the earliest date touched on: those weeks' sessions
 * counted again from the marks in force through the trend a pupil's own page shows
 * (`attendanceTrend`), and the year to date at each week's end carried on from the weeks before
 * (`weeksToDate`). A school's daily upload so reads and writes about one week per pupil, in a few
 * statements per thousand pupils, however far into the year it is.
 */
async function updateWeeks(tx: ReadModelTx, registers: readonly Register[]): Promise<void> {
  const byYear = new Map<string, Register[]>();
  for (const register of registers) {
    const key = `${register.tenant}|${register.year}`;
    const list = byYear.get(key);
    if (list) list.push(register);
    else byYear.set(key, [register]);
  }
  for (const list of byYear.values()) {
    for (let first = 0; first < list.length; first += REGISTERS_PER_STATEMENT) {
      await updateYear(tx, list.slice(first, first + REGISTERS_PER_STATEMENT));
    }
  }
}

const mondayOf = (date: string): string => addDays(date, 1 - isoWeekday(date));

async function updateYear(tx: ReadModelTx, registers: readonly Register[]): Promise<void> {
  const { tenant, year } = registers[0]!;
  const { start, end } = academicYearRange(year);
  const touched = sql`unnest(${arrayLiteral(registers, (r) => r.pupilKey)}::text[],
    ${arrayLiteral(registers, (r) => r.schoolUrn)}::text[], ${arrayLiteral(registers, (r) => mondayOf(r.from))}::date[])
    as touched(pupil_key, school_urn, week_start)`;
  const sessions = await tx.select(sql<{
    pupil_key: string;
    school_urn: string;
    date: string;
    session: 'AM' | 'PM';
    code: AttendanceCode;
  }>`
    select s.pupil_key, s.school_urn, s.date::text as date, s.session, s.code
    from analytics_attendance_sessions s join ${touched}
      on s.pupil_key = touched.pupil_key and s.school_urn = touched.school_urn
    where s.tenant = ${tenant} and s.date >= touched.week_start and s.date between ${start}::date and ${end}::date`);
  const earlier = await tx.select(sql<{ pupil_key: string; school_urn: string; possible: number; attended: number }>`
    select w.pupil_key, w.school_urn, sum(w.possible)::int as possible, sum(w.attended)::int as attended
    from analytics_attendance_weeks w join ${touched}
      on w.pupil_key = touched.pupil_key and w.school_urn = touched.school_urn
    where w.tenant = ${tenant} and w.academic_year = ${year} and w.week_start < touched.week_start
    group by w.pupil_key, w.school_urn`);
  const marksOf = Map.groupBy(sessions, (s) => `${s.pupil_key}|${s.school_urn}`);
  const before = new Map(earlier.map((row) => [`${row.pupil_key}|${row.school_urn}`, row]));
  const rows = registers.flatMap(({ pupilKey, schoolUrn }) => {
    const key = `${pupilKey}|${schoolUrn}`;
    const marks = (marksOf.get(key) ?? []).map((s) => ({
      pupilId: pupilKey,
      schoolUrn,
      date: s.date,
      session: s.session,
      code: s.code,
      recordedAt: `${s.date}T00:00:00Z`,
    }));
    const { weeks } = attendanceTrend({ pupilId: pupilKey, year, marks });
    return weeksToDate(weeks, before.get(key)).map((week) => ({ pupilKey, schoolUrn, ...week }));
  });
  await tx.execute(sql`
    delete from analytics_attendance_weeks w using ${touched}
    where w.tenant = ${tenant} and w.academic_year = ${year}
      and w.pupil_key = touched.pupil_key and w.school_urn = touched.school_urn and w.week_start >= touched.week_start`);
  for (let first = 0; first < rows.length; first += 5000) {
    const chunk = rows.slice(first, first + 5000);
    await tx.execute(sql`
      insert into analytics_attendance_weeks
        (tenant, pupil_key, school_urn, academic_year, week_start, possible, attended, persistent_absence, severe_absence)
      select ${tenant}, week.pupil_key, week.school_urn, ${year}, week.week_start, week.possible, week.attended,
        week.persistent, week.severe
      from unnest(${arrayLiteral(chunk, (w) => w.pupilKey)}::text[], ${arrayLiteral(chunk, (w) => w.schoolUrn)}::text[],
        ${arrayLiteral(chunk, (w) => w.weekStart)}::date[], ${arrayLiteral(chunk, (w) => String(w.possible))}::integer[],
        ${arrayLiteral(chunk, (w) => String(w.attended))}::integer[],
        ${arrayLiteral(chunk, (w) => String(w.persistentAbsence))}::boolean[],
        ${arrayLiteral(chunk, (w) => String(w.severeAbsence))}::boolean[])
        as week(pupil_key, school_urn, week_start, possible, attended, persistent, severe)`);
  }
  // Whether each pupil touched is now on more than one school's roll this year, marked on all their weeks.
  await tx.execute(sql`
    update analytics_attendance_weeks w set on_other_roll = rolls.other
    from (
      select pupil_key, count(distinct school_urn) > 1 as other from analytics_attendance_weeks
      where tenant = ${tenant} and academic_year = ${year}
        and pupil_key = any(${arrayLiteral(registers, (r) => r.pupilKey)}::text[])
      group by pupil_key
    ) rolls
    where w.tenant = ${tenant} and w.academic_year = ${year} and w.pupil_key = rolls.pupil_key
      and w.on_other_roll <> rolls.other`);
}
