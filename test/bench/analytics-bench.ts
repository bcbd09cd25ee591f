// Analytics (issue #15) on PostgreSQL: the three analyst reads over HTTP on a 250,000-pupil LA's
// pseudonymous tables, each against a raw `SELECT count(*)` over the same rows in the same run (what
// the database must scan at least, with nothing aggregated, suppressed or sent).
import { mintDevToken } from '@small-steps/api';
import { academicYearOf, addDays, isoWeekday, planOutcomes } from '@small-steps/domain';
import pg from 'pg';
import { todayInEngland } from '../e2e/support/dates.ts';
import { startBenchServer } from './bench-server.ts';
import type { BenchFigure } from './figures.ts';

const LA = '801';
const PUPILS = 250_000;
const PUPILS_PER_SCHOOL = 1000;
const PLANS = 5000;
/** Pupils whose first plan closed and who had a second: counted twice among plans, once as pupils. */
const SECOND_PLANS = 500;
const TIMES = 5;

/**
 * The analytics tables are seeded in SQL as the projection would leave them (seeding is not
 * measured): 250,000 pupils at 250 schools with year group and need, 5,500 plans of 5,000 pupils in
 * every status and outcome, and a week row per pupil for each week of the academic year so far (the
 * per-session rows the projection keeps are not read by these routes, so none are seeded). Each
 * read is timed `TIMES` times in turn, the median kept; so is its baseline.
 */
export async function benchAnalytics(connectionString: string, log: (line: string) => void): Promise<BenchFigure[]> {
  const server = await startBenchServer('postgres', connectionString, { env: { RUN_PROJECTIONS: 'false' } });
  const { database } = server.config;
  if (database.kind !== 'postgres') throw new Error('the analytics bench runs on PostgreSQL');
  const raw = new pg.Pool({ connectionString: database.url, max: 2 });
  try {
    const today = todayInEngland();
    const year = academicYearOf(today);
    const started = performance.now();
    const weeks = await seed(raw, today);
    log(
      `seeded ${PUPILS.toLocaleString('en-GB')} pupils, ${(PLANS + SECOND_PLANS).toLocaleString('en-GB')} plans and ` +
        `${weeks} weeks of attendance each in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const { secret, issuer, audience } = server.config.auth;
    const token = await mintDevToken(
      { id: 'analyst-bench', role: 'analyst', tenant: LA },
      { secret: secret!, issuer, audience },
    );
    const plansFrom = `from analytics_plans p left join analytics_pupils u on u.tenant = p.tenant and u.pupil_key = p.pupil_key
      where p.tenant = '${LA}'`;
    const reads: [string, string, string[]][] = [
      ['/v1/analytics/plans', 'plans by status, by school', [`select count(*) ${plansFrom}`]],
      [
        '/v1/analytics/plan-outcomes?by=senNeed',
        'plan outcomes, by need',
        [
          `select count(*) ${plansFrom}`,
          `select count(*) from analytics_plans p join analytics_attendance_weeks w
             on w.tenant = p.tenant and w.pupil_key = p.pupil_key and w.school_urn = p.school_urn
             and w.week_start between p.opened_on - 63 and p.opened_on + 119
           where p.tenant = '${LA}'`,
        ],
      ],
      [
        '/v1/analytics/attendance',
        'attendance by week and school',
        [`select count(*) from analytics_attendance_weeks w where w.tenant = '${LA}' and w.academic_year = ${year}`],
      ],
      [
        '/v1/analytics/attendance?by=yearGroup',
        'attendance by week and year group',
        [
          `select count(*) from analytics_attendance_weeks w
             left join analytics_pupils u on u.tenant = w.tenant and u.pupil_key = w.pupil_key
           where w.tenant = '${LA}' and w.academic_year = ${year}`,
        ],
      ],
    ];
    const figures: BenchFigure[] = [];
    for (const [path, what, baseline] of reads) {
      const rawMs = await median(async () => {
        for (const statement of baseline) await raw.query(statement);
      });
      let bytes = 0;
      const readMs = await median(async () => {
        const answer = await fetch(`${server.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
        if (answer.status !== 200) throw new Error(`${path} answered ${answer.status}: ${await answer.text()}`);
        bytes = (await answer.arrayBuffer()).byteLength;
      });
      log(
        `GET ${path}: ${readMs.toFixed(0)} ms median of ${TIMES} (${(bytes / 1024).toFixed(0)} KiB); raw count ${rawMs.toFixed(0)} ms`,
      );
      figures.push(
        { name: `raw count(*) of the rows of ${what}`, value: rawMs, unit: 'ms' },
        {
          name: `GET ${path.split('?')[0]} (${what})`,
          value: readMs,
          unit: 'ms',
          baseline: 'raw count(*)',
          ratio: readMs / Math.max(rawMs, 0.1),
        },
      );
    }
    return figures;
  } finally {
    await raw.end();
    await server.close();
  }
}

async function median(run: () => Promise<void>): Promise<number> {
  await run();
  const times: number[] = [];
  for (let i = 0; i < TIMES; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(TIMES / 2)]!;
}

/** Seeds the analytics tables; returns the weeks of attendance per pupil. */
async function seed(pool: pg.Pool, today: string): Promise<number> {
  const year = academicYearOf(today);
  // Registers are kept from September: the weeks of the summer before hold none.
  const september = `${year}-09-01`;
  const mondays: string[] = [];
  for (let day = addDays(september, 1 - isoWeekday(september)); day <= today; day = addDays(day, 7)) mondays.push(day);
  await pool.query(
    `insert into analytics_pupils (tenant, pupil_key, year_group, primary_need)
     select $1, md5('pupil-' || n), (n % 11 + 1)::text,
       case when n % 7 = 0 then (array['SEMH', 'ASD', 'SLCN', 'MLD', 'SpLD'])[n / 7 % 5 + 1] end
     from generate_series(0, $2::int - 1) as n`,
    [LA, PUPILS],
  );
  // Plan n is pupil n * 50's (every school has some); the last SECOND_PLANS are second plans of
  // pupils whose first plan (n - PLANS) is made closed.
  await pool.query(
    `insert into analytics_plans (tenant, plan_key, pupil_key, school_urn, status, opened_on, first_mastered_on, closed_on, outcome)
     select $1, md5('plan-' || n), md5('pupil-' || pupil * 50), (200000 + pupil * 50 / $2::int)::text, status,
       opened, case when n % 5 < 3 and status <> 'gathering' then opened + 14 + n % 40 end,
       case when status = 'closed' then opened + 60 end,
       case when status = 'closed' then ($3::text[])[n % array_length($3::text[], 1) + 1] end
     from generate_series(0, $4::int - 1) as n,
       lateral (select case when n >= $5::int then n - $5::int else n end as pupil) as p,
       lateral (select case
         when n < $6::int or n % 20 < 7 then 'closed'
         when n % 20 < 9 then 'gathering'
         when n % 20 = 9 then 'paused'
         else 'active' end as status) as s,
       lateral (select $7::date + (n % 70) as opened) as o`,
    [LA, PUPILS_PER_SCHOOL, planOutcomes, PLANS + SECOND_PLANS, PLANS, SECOND_PLANS, september],
  );
  // Ten sessions a week; most pupils miss one now and then, one in ten more, one in fifty most.
  for (let from = 0; from < PUPILS; from += 50_000) {
    await pool.query(
      `insert into analytics_attendance_weeks (tenant, pupil_key, school_urn, academic_year, week_start, possible,
         attended, persistent_absence, severe_absence)
       select $1, md5('pupil-' || n), (200000 + n / $2::int)::text, $3, w.week_start, 10, a.attended,
         a.attended < 9, a.attended < 5
       from generate_series($4::int, $5::int - 1) as n, unnest($6::date[]) with ordinality as w (week_start, i),
         lateral (select case when n % 50 = 0 then 4 when n % 10 = 0 then 8 when (n + i) % 6 = 0 then 9 else 10 end
           as attended) as a`,
      [LA, PUPILS_PER_SCHOOL, year, from, Math.min(from + 50_000, PUPILS), mondays],
    );
  }
  await pool.query('vacuum analyze');
  return mondays.length;
}
