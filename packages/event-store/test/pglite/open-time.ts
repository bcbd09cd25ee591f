// What a test file pays to open a migrated PGlite store, through initdb and through the cached
// template. Each open runs in a process of its own, as vitest runs each file, alternating the two.
//   node --conditions=development test/pglite/open-time.ts [runs, default 5]
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';
import { createPGliteStorage } from '../../src/pglite/create-pglite-storage.ts';
import { createPGliteTestStorage } from '../../src/pglite/pglite-template.ts';

type Way = 'initdb' | 'template';
interface Open {
  wallMs: number;
  cpuMs: number;
}

// The extra set test/sql/sql-storage.test.ts migrates, so both ways migrate what a test file migrates.
const uniqueKeys: Migration = {
  async up(db) {
    await sql`create table test_unique_keys (key text primary key, stream_id text not null)`.execute(db);
  },
};
const extraMigrations = [{ name: 'contract_test', migrations: { '0001-unique-keys': uniqueKeys } }];

async function openOnce(way: Way): Promise<Open> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const storage =
    way === 'initdb'
      ? await createPGliteStorage({ dataDir: 'memory', extraMigrations })
      : await createPGliteTestStorage({ extraMigrations });
  const wallMs = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  if (!(await storage.store.isReady())) throw new Error(`The ${way} store is not migrated.`);
  await storage.close();
  return { wallMs, cpuMs: (user + system) / 1000 };
}

function openInChild(way: Way): Open {
  const args = ['--conditions=development', import.meta.filename, 'child', way];
  return JSON.parse(execFileSync(process.execPath, args, { encoding: 'utf8' }));
}

const median = (values: number[]) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

if (process.argv[2] === 'child') {
  console.log(JSON.stringify(await openOnce(process.argv[3] as Way)));
} else {
  const runs = Number(process.argv[2] ?? 5);
  openInChild('template'); // builds the cache if it is missing
  const opens: Record<Way, Open[]> = { initdb: [], template: [] };
  for (let run = 0; run < runs; run++) {
    for (const way of ['initdb', 'template'] as const) opens[way].push(openInChild(way));
  }
  const summary = (way: Way) => ({
    way,
    medianWallMs: Math.round(median(opens[way].map((open) => open.wallMs))),
    medianCpuMs: Math.round(median(opens[way].map((open) => open.cpuMs))),
    wallMs: opens[way].map((open) => Math.round(open.wallMs)).join(' '),
  });
  console.table([summary('initdb'), summary('template')]);
  const ratio = median(opens.initdb.map((open) => open.wallMs)) / median(opens.template.map((open) => open.wallMs));
  console.log(`template / initdb: ${(1 / ratio).toFixed(2)} of the wall time (${ratio.toFixed(1)}x faster)`);
}
