// `pnpm bench`: figures measured on PostgreSQL, each against a baseline measured in the same run,
// because this machine is shared and noisy: ratios travel, absolute numbers do not.
import { mkdir, writeFile } from 'node:fs/promises';
import { benchAccessLog } from './access-log-bench.ts';
import { benchAlerts } from './alerts-bench.ts';
import { benchAnalytics } from './analytics-bench.ts';
import { benchAttendance } from './attendance-bench.ts';
import { benchAudit } from './audit-bench.ts';
import { benchEventStore } from './event-store-bench.ts';
import { benchFeed } from './feed-bench.ts';
import { type BenchFigure, formatFigures } from './figures.ts';
import { benchPersonalData } from './personal-data-bench.ts';
import { benchPlanAttempts } from './plan-attempts-bench.ts';
import { benchPlanRead } from './plan-read-bench.ts';
import { benchRebuild } from './rebuild-bench.ts';
import { benchStartup } from './startup-bench.ts';
import { benchWorkerLag } from './worker-lag-bench.ts';

const url =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';
const only = process.argv.slice(2);
const suites: [string, (url: string, log: (line: string) => void) => Promise<BenchFigure[]>][] = [
  ['event-store', benchEventStore],
  ['attendance', benchAttendance],
  ['plan-attempts', benchPlanAttempts],
  ['plan-read', benchPlanRead],
  ['personal-data', benchPersonalData],
  ['feed', benchFeed],
  ['worker-lag', benchWorkerLag],
  ['rebuild', benchRebuild],
  ['access-log', benchAccessLog],
  ['audit', benchAudit],
  ['startup', benchStartup],
  ['alerts', benchAlerts],
  ['analytics', benchAnalytics],
];

const log = (line: string) => process.stdout.write(`${line}\n`);
log(`Small Steps benchmarks on ${url.replace(/\/\/[^@]*@/, '//')}`);
const all: BenchFigure[] = [];
for (const [name, run] of suites) {
  if (only.length > 0 && !only.includes(name)) continue;
  log(`\n== ${name}`);
  const figures = await run(url, log);
  all.push(...figures);
  log(formatFigures(figures));
}
await mkdir('bench-results', { recursive: true });
await writeFile(
  'bench-results/latest.json',
  `${JSON.stringify(all, (_k, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n`,
);
const missed = all.filter((f) => f.met === false);
log(
  `\n${all.length} figures; ${missed.length} target(s) missed${missed.length ? `: ${missed.map((f) => f.name).join(', ')}` : ''}`,
);
