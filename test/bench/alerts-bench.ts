// Caseload alerts (issue #15) on PostgreSQL: the daily evaluation of a 250,000-pupil LA with 5,000
// open plans, against a raw SELECT of the same rows in the same run; and GET /v1/caseload/alerts at
// 200 req/s, against the liveness route at the same rate on the same server.
import { createApplication } from '@small-steps/application';
import { academicYearOf, academicYearRange, addDays, isoWeekday } from '@small-steps/domain';
import { CASELOAD_ALERTS, ProjectionWorker } from '@small-steps/projections';
import pg from 'pg';
import { apiClient } from '../e2e/support/api-client.ts';
import { daysBefore, todayInEngland } from '../e2e/support/dates.ts';
import { people, planCommand, practiseFirstStep, registerPupil } from '../e2e/support/plan-people.ts';
import { startBenchServer } from './bench-server.ts';
import type { BenchFigure } from './figures.ts';
import { load } from './load.ts';

const PUPILS = 250_000;
const PUPILS_PER_SCHOOL = 1000;
const PLANS = Number(process.env.ALERTS_PLANS ?? 5000);
/** School days of marks for the pupils with no plan: enough to make the register LA-sized, not a year of it. */
const OTHER_PUPIL_DAYS = Number(process.env.ALERTS_OTHER_PUPIL_DAYS ?? 5);
const TARGET_SECONDS = 10;
const RATE = 200;
const SECONDS = 10;
const P99_TARGET_MS = 50;
const BATCH = 500;

/**
 * A few plans are made through the API (a long-gathering one, an active one with nobody in touch, an
 * active one practised and in touch) and their streams copied in SQL to 5,000 plans of seeded pupils
 * at 250 schools, each copy with its own plan id, pupil and school (hashes are copied as they are:
 * nothing measured checks them). The caseload projection then catches up over them, as the worker
 * would, and the evaluation is measured twice: at start, with no plan state in memory, and on the
 * next day, as the daily run finds them. Seeding is not measured.
 */
export async function benchAlerts(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const server = await startBenchServer('postgres', connectionString, { env: { RUN_PROJECTIONS: 'false' } });
  const { database } = server.config;
  if (database.kind !== 'postgres') throw new Error('the alerts bench runs on PostgreSQL');
  const raw = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    let started = performance.now();
    const today = todayInEngland();
    const templates = await templatePlans(server.baseUrl, server.token, today);
    await seedPupils(raw);
    await clonePlans(raw, templates);
    await seedMarks(raw, today);
    log(
      `seeded ${PUPILS.toLocaleString('en-GB')} pupils, ${PLANS.toLocaleString('en-GB')} plans and their register in ${seconds(started)} s`,
    );

    let at = new Date();
    const application = createApplication({
      storage: server.storage,
      tenantSettings: server.config.tenantSettings,
      clock: () => at,
    });
    const quiet = {
      info: () => undefined,
      warn: () => undefined,
      error: (o: object, m: string) => log(`${m} ${JSON.stringify(o)}`),
    };
    started = performance.now();
    await new ProjectionWorker({
      storage: { store: application.store, db: server.storage.db, leases: server.storage.leases },
      projections: application.workerProjections.filter((p) => p.name === CASELOAD_ALERTS),
      log: quiet,
    }).catchUp();
    await raw.query('vacuum analyze');
    log(`caseload projection caught up over the plans' events in ${seconds(started)} s`);

    const rawBefore = await readRaw(raw, today);
    const schedule = application.caseloadAlertSchedule(quiet);
    started = performance.now();
    const first = await schedule.evaluate();
    const atStart = seconds(started);
    at = new Date(at.getTime() + 86_400_000);
    started = performance.now();
    const next = await schedule.evaluate();
    const daily = seconds(started);
    const rawAfter = await readRaw(raw, today);
    const rawSeconds = Math.min(rawBefore, rawAfter);
    const open = (await raw.query<{ n: number }>('select count(*)::int as n from caseload_alerts')).rows[0]!.n;
    log(
      `evaluation at start: ${first.plans} plans, ${first.raised} raised, ${first.cleared} cleared in ${atStart.toFixed(2)} s; ` +
        `next day: ${next.raised} raised, ${next.cleared} cleared in ${daily.toFixed(2)} s; ${open} alerts open; ` +
        `raw SELECT of the same rows ${rawBefore.toFixed(2)} / ${rawAfter.toFixed(2)} s`,
    );
    if (first.plans !== PLANS) throw new Error(`the evaluation judged ${first.plans} plans, not ${PLANS}`);
    if (open === 0) throw new Error('the evaluation raised no alert: the bench measures nothing realistic');

    const headers = { authorization: `Bearer ${server.token}` };
    const urns = Array.from({ length: 10 }, (_, i) => schoolUrn(i * 997));
    // What an officer's screens ask: the first page, a school's, a kind's.
    const alertPaths = [
      '/v1/caseload/alerts?limit=50',
      ...urns.map((urn) => `/v1/caseload/alerts?limit=50&schoolUrn=${urn}`),
      '/v1/caseload/alerts?limit=50&kind=no_family_contact',
      '/v1/caseload/alerts?limit=50&kind=attendance_falling',
    ];
    const steady = (paths: string[]) =>
      load({
        url: server.baseUrl,
        method: 'GET',
        paths,
        headers,
        connections: 16,
        seconds: SECONDS,
        overallRate: RATE,
        warmupSeconds: 2,
      });
    const live = await steady(['/health/live']);
    const alerts = await steady(alertPaths);
    for (const [what, result] of [
      ['liveness', live],
      ['alerts', alerts],
    ] as const) {
      log(
        `${what} at ${RATE} req/s: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms, ${result.notOk} not ok`,
      );
      if (result.notOk > 0 || result.errors > 0) throw new Error(`${what} answered ${result.notOk} non-2xx`);
    }
    return [
      { name: `raw SELECT of ${PLANS} open plans' rows (plans, streams, marks, alerts)`, value: rawSeconds, unit: 's' },
      {
        name: `alert evaluation at start, ${PLANS} plans of a ${PUPILS.toLocaleString('en-GB')}-pupil LA`,
        value: atStart,
        unit: 's',
        baseline: 'raw SELECT',
        ratio: atStart / rawSeconds,
      },
      {
        name: `daily alert evaluation, ${PLANS} plans of a ${PUPILS.toLocaleString('en-GB')}-pupil LA`,
        value: daily,
        unit: 's',
        baseline: 'raw SELECT',
        ratio: daily / rawSeconds,
        target: `< ${TARGET_SECONDS} s`,
        met: daily < TARGET_SECONDS,
      },
      { name: `GET /health/live p99 at ${RATE} req/s`, value: live.p99, unit: 'ms' },
      {
        name: `GET /v1/caseload/alerts p99 at ${RATE} req/s`,
        value: alerts.p99,
        unit: 'ms',
        baseline: '/health/live',
        ratio: alerts.p99 / Math.max(live.p99, 0.1),
        target: `p99 < ${P99_TARGET_MS} ms`,
        met: alerts.p99 < P99_TARGET_MS,
      },
    ];
  } finally {
    await raw.end();
    await server.close();
  }
}

interface Template {
  planId: string;
  pupilId: string;
}

/**
 * Three plans through the API, dated back from today within the academic year: one gathering for
 * weeks, one active with its step never practised and no family contact, one practised weekly with
 * the family in touch.
 */
async function templatePlans(baseUrl: string, token: string, today: string): Promise<Template[]> {
  const api = apiClient(baseUrl, token);
  const yearStart = academicYearRange(academicYearOf(today)).start;
  const on = (daysAgo: number) => {
    const date = daysBefore(today, daysAgo);
    // Strings: ISO dates compare as text.
    if (date < yearStart) return yearStart;
    return date;
  };
  const templates: Template[] = [];
  for (let serial = 0; serial < 3; serial++) {
    const pupilId = await registerPupil(api, serial, '100001', yearStart);
    const opened = await api.post('/v1/plans', {
      pupilId,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Patel' },
      presentingConcern: 'Has not attended since the summer.',
      occurredOn: on(70),
    });
    if (opened.status !== 201)
      throw new Error(`opening a plan answered ${opened.status}: ${JSON.stringify(opened.body)}`);
    const planId: string = opened.body.planId;
    templates.push({ planId, pupilId });
    if (serial === 0) continue;
    const occurredOn = on(63);
    await practiseFirstStep(api, planId, occurredOn, [
      { stepId: 'step-1', description: 'Walk to the gate', predictedAnxiety: 3 },
      { stepId: 'step-2', description: 'Into the classroom', predictedAnxiety: 6 },
    ]);
    if (serial === 1) continue;
    for (let week = 8; week >= 1; week--) {
      await planCommand(api, planId, '/steps/step-1/attempts', {
        outcome: 'completed',
        anxietyBefore: 6,
        anxietyAfter: 4,
        minutes: 20,
        occurredOn: on(week * 7),
      });
      await planCommand(api, planId, '/family-contacts', {
        channel: 'phone',
        by: { id: people.keyAdult.id, role: 'key_adult', name: 'Ms Patel' },
        summary: 'Weekly update.',
        occurredOn: on(week * 7),
      });
    }
  }
  return templates;
}

const schoolUrn = (pupil: number): string => String(200000 + Math.floor(pupil / PUPILS_PER_SCHOOL));
const pupilIdSql = (n: string) => `md5('bench-pupil-' || ${n})::uuid`;

/** 250,000 pupils in 250 schools, straight into the pupil directory; pupil n's id is md5('bench-pupil-' || n). */
async function seedPupils(pool: pg.Pool): Promise<void> {
  await pool.query(
    `insert into pupil_directory (pupil_id, tenant, school_urn, upn_hash, year_group, sen_provision, needs, personal,
       enrolments, on_roll_at, version, registered_position, registered_at)
     select ${pupilIdSql('n')}, '801', school.urn, 'B801' || lpad(n::text, 9, '0'), (7 + n % 5)::text, 'N', '[]',
       '{"givenName":"Bench","familyName":"Pupil","dateOfBirth":"2014-01-01"}',
       jsonb_build_array(jsonb_build_object('schoolUrn', school.urn, 'admissionDate', '2026-09-01', 'leavingDate', null)),
       jsonb_build_array(school.urn), 2, 1000 + n, now()
     from generate_series(0, $1::int - 1) as n,
       lateral (select (200000 + n / $2::int)::text as urn) as school`,
    [PUPILS, PUPILS_PER_SCHOOL],
  );
}

/**
 * The templates' streams copied to plan n (of pupil n * 50, spread over every school): plan id
 * md5('bench-plan-' || n), the template's pupil and school replaced with the copy's.
 */
async function clonePlans(pool: pg.Pool, templates: readonly Template[]): Promise<void> {
  const per = 1000;
  // The templates are open plans too.
  const copies = PLANS - templates.length;
  for (let from = 0; from < copies; from += per) {
    await pool.query(
      `insert into events (stream_id, stream_version, event_id, type, schema_version, data, personal, metadata,
         recorded_at, previous_hash, hash)
       select 'plan-' || md5('bench-plan-' || c.n)::uuid, e.stream_version, gen_random_uuid(), e.type, e.schema_version,
         replace(replace(e.data::text, t.pupil_id, ${pupilIdSql('c.pupil')}::text), '"100001"', '"' || c.urn || '"')::jsonb,
         e.personal, e.metadata, e.recorded_at, e.previous_hash, e.hash
       from (select n, n * 50 as pupil, (200000 + n * 50 / $3::int)::text as urn, n % $4::int as template
             from generate_series($1::int, $2::int - 1) as n) as c
         join unnest($5::text[], $6::text[]) with ordinality as t (plan_id, pupil_id, template) on t.template = c.template + 1
         join events e on e.stream_id = 'plan-' || t.plan_id
       order by c.n, e.stream_version`,
      [
        from,
        Math.min(from + per, copies),
        PUPILS_PER_SCHOOL,
        templates.length,
        templates.map((t) => t.planId),
        templates.map((t) => t.pupilId),
      ],
    );
  }
}

/**
 * The register: every school day of the year so far for the pupils with plans (a tenth of them
 * missing every session of the last four weeks, a tenth every other day all year, the rest mostly
 * present), and the last `OTHER_PUPIL_DAYS` school days for everyone else.
 */
async function seedMarks(pool: pg.Pool, today: string): Promise<void> {
  const yearStart = academicYearRange(academicYearOf(today)).start;
  const days: string[] = [];
  for (let day = yearStart; day < today; day = addDays(day, 1)) if (isoWeekday(day) <= 5) days.push(day);
  const recent = days.slice(-20);
  const insert = (pupils: string, dates: readonly string[]) =>
    pool.query(
      `insert into attendance_marks (tenant, pupil_id, school_urn, date, session, code, recorded_at, recorded_position)
       select '801', ${pupilIdSql('p.n')}, (200000 + p.n / $2::int)::text, d.date, s.session,
         case
           when p.n % 500 = 0 and d.date >= $3::date then 'N'
           when p.n % 500 = 50 and extract(day from d.date)::int % 2 = 0 then 'N'
           when (p.n + extract(doy from d.date)::int) % 20 = 0 then 'I'
           when s.session = 'AM' then '/' else '\\' end,
         d.date + interval '9 hours', 1
       from (${pupils}) as p (n), unnest($1::date[]) as d (date), (values ('AM'), ('PM')) as s (session)`,
      [dates, PUPILS_PER_SCHOOL, recent[0] ?? today],
    );
  await insert(`select n * 50 from generate_series(0, ${PLANS - 1}) as n`, days);
  const others = days.slice(-OTHER_PUPIL_DAYS);
  for (let from = 0; from < PUPILS; from += 50_000) {
    await insert(
      `select n from generate_series(${from}, ${from + 50_000 - 1}) as n where n % 50 <> 0 or n >= ${PLANS * 50}`,
      others,
    );
  }
}

/**
 * What the evaluation reads, read with plain `pg` in the same batches of 500 open plans: the plans,
 * their streams, their pupils' marks for the year and their open alerts. Returns seconds.
 */
async function readRaw(pool: pg.Pool, today: string): Promise<number> {
  const { start, end } = academicYearRange(academicYearOf(today));
  const started = performance.now();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const plans = await pool.query<{ plan_id: string; pupil_id: string }>(
      `select plan_id, pupil_id, tenant, last_family_contact_on from caseload_alert_plans
       where open and plan_id > $1::uuid order by plan_id limit $2`,
      [after, BATCH],
    );
    if (plans.rows.length === 0) break;
    after = plans.rows.at(-1)!.plan_id;
    const planIds = plans.rows.map((r) => r.plan_id);
    await pool.query(`select * from events where stream_id = any($1::text[]) order by stream_id, stream_version`, [
      planIds.map((id) => `plan-${id}`),
    ]);
    await pool.query(
      `select pupil_id, school_urn, date, session, code, recorded_at from attendance_marks
       where pupil_id = any($1::uuid[]) and date between $2 and $3 order by pupil_id, date, session, school_urn`,
      [plans.rows.map((r) => r.pupil_id), start, end],
    );
    await pool.query(`select * from caseload_alerts where plan_id = any($1::uuid[])`, [planIds]);
  }
  return seconds(started);
}

const seconds = (since: number): number => (performance.now() - since) / 1000;
