// What sealing personal data costs: plan commands and plan reads with a vault and without, measured
// in the same run on PostgreSQL, and the time to erase a pupil with a long record. Each run lasts a
// fixed time, so by the last rounds each plan's step holds a few thousand attempts: a read whose cost
// grows with a step's history shows as p99s that rise round after round.
import { randomBytes } from 'node:crypto';
import {
  type Application,
  type CommandOptions,
  createApplication,
  masterKeyFrom,
  migrations,
  PersonalDataVault,
} from '@small-steps/application';
import { groundworkAreas, type Participant, type Principal } from '@small-steps/domain';
import { createPostgresStorage, type SqlStorage } from '@small-steps/event-store';
import { backendsOf, meterCpu } from './cpu-meter.ts';
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

const officer: Principal = { id: 'bench-officer', role: 'la_officer', tenant: '801' };
const admin: Principal = { id: 'bench-admin', role: 'admin', tenant: '801' };
const PLANS = 16;
const ROUNDS = 6;
const SECONDS = 1.5;
const WARMUP_SECONDS = 1;

let correlation = 0;
const as = (principal: Principal): CommandOptions => ({ principal, correlationId: `bench-${++correlation}` });

/** A pupil with an active plan whose first step is started: ready for attempts. */
async function activePlan(app: Application, n: number): Promise<{ pupilId: string; planId: string }> {
  const pupilId = `6e000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const must = (result: { outcome: string }, what: string) => {
    if (result.outcome !== 'accepted') throw new Error(`${what}: ${JSON.stringify(result)}`);
    return result as { outcome: 'accepted'; answer: { body: unknown } };
  };
  must(
    await app.pupils.run(
      {
        type: 'RegisterPupil',
        data: {
          pupilId,
          upn: upnOf(n),
          givenName: 'Robin',
          familyName: `Ashworth-${n}`,
          dateOfBirth: '2014-05-02',
          yearGroup: '7',
          senProvision: 'K',
          needs: [{ need: 'SEMH', rank: 1 }],
          admission: { schoolUrn: '100001', admissionDate: '2025-09-01' },
        },
      },
      as(officer),
      201,
    ),
    'register',
  );
  const opened = must(
    await app.plans.open(
      { pupilId, keyAdult: { id: 'k', name: 'Ms Patel' }, presentingConcern: 'Has not attended since Easter.' },
      as(officer),
    ),
    'open',
  );
  const planId = (opened.answer.body as { planId: string }).planId;
  const agreedBy: Participant[] = [
    { id: 'p', role: 'pupil' },
    { id: 'm', role: 'parent_carer' },
    { id: 's', role: 'senco' },
  ];
  const run = async (request: Parameters<Application['plans']['run']>[1]) =>
    must(await app.plans.run(planId, request, as(officer)), request.type);
  for (const role of ['pupil', 'parent_carer'] as const) {
    await run({
      type: 'RecordView',
      data: {
        role,
        participantId: role,
        worries: 'The noise.',
        whatHelps: 'Quiet.',
        hopes: 'Friends.',
        concernsAboutPlan: null,
      },
    });
  }
  for (const area of groundworkAreas) {
    await run({ type: 'RecordGroundwork', data: { area, summary: `About ${area}.`, assessment: null } });
  }
  await run({ type: 'AgreeGoal', data: { goalId: 'goal-1', pupilWords: 'A full day.', participants: agreedBy } });
  await run({
    type: 'AgreeSteps',
    data: {
      goalId: 'goal-1',
      participants: agreedBy,
      steps: [1, 2].map((s) => ({
        stepId: `step-${s}`,
        description: `Step ${s}: walk to the gate with Ms Patel`,
        where: 'School gate',
        withWhom: 'Ms Patel',
        supports: ['Fidget toy'],
        minutes: 20,
        timesPerWeek: 5,
        predictedAnxiety: s + 2,
        dependsOn: [],
      })),
    },
  });
  await run({ type: 'StartStep', data: { stepId: 'step-1' } });
  return { pupilId, planId };
}

const attempt = (app: Application, planId: string) =>
  app.plans.run(
    planId,
    {
      type: 'RecordAttempt',
      data: {
        stepId: 'step-1',
        outcome: 'completed',
        anxietyBefore: 5,
        anxietyAfter: 3,
        minutes: 15,
        extendedBy: null,
        supportsUsed: ['Fidget toy'],
        pupilWords: 'It was OK, the bell made me jump.',
      },
    },
    { ...as(officer), returnMinimal: true },
  );

function upnOf(n: number): string {
  // A valid permanent UPN: the check letter computed as the DfE does.
  const alphabet = 'ABCDEFGHJKLMNPQRTUVWXYZ';
  const rest = `801${String(n).padStart(4, '0')}26${String(n % 1000).padStart(3, '0')}`;
  let sum = 0;
  for (let i = 0; i < rest.length; i++) sum += Number(rest[i]) * (i + 2);
  return `${alphabet[sum % 23]}${rest}`;
}

interface Side {
  storage: SqlStorage;
  app: Application;
  plans: { pupilId: string; planId: string }[];
  /** The server processes of this side's database. */
  backends(): Promise<number[]>;
  drop(): Promise<void>;
}

async function side(url: string, sealed: boolean): Promise<Side> {
  const database = await scratchDatabase(url, sealed ? 'ss_bench_sealed' : 'ss_bench_plain');
  const storage = await createPostgresStorage({
    connectionString: database.url,
    poolSize: 8,
    extraMigrations: migrations,
  });
  const vault = sealed
    ? new PersonalDataVault(storage.db, masterKeyFrom(randomBytes(32).toString('base64'), 'bench'))
    : undefined;
  const app = createApplication({ storage, tenantSettings: { tenants: {} }, ...(vault ? { vault } : {}) });
  const plans = [];
  for (let n = 0; n < PLANS; n++) plans.push(await activePlan(app, n));
  return {
    storage,
    app,
    plans,
    backends: backendsOf(storage.db),
    async drop() {
      await storage.close();
      await database.drop();
    },
  };
}

/** Attempts per second for `seconds`, 8 plans at a time, each plan's attempts in order, and the CPU they took. */
async function attemptRate(s: Side, seconds: number): Promise<{ rate: number; cpuMs: number }> {
  const { result, cpu } = await meterCpu(
    async () => {
      const started = performance.now();
      const deadline = started + seconds * 1000;
      let count = 0;
      await Promise.all(
        s.plans.slice(0, 8).map(async ({ planId }) => {
          while (performance.now() < deadline) {
            const result = await attempt(s.app, planId);
            if (result.outcome !== 'accepted') throw new Error(JSON.stringify(result));
            count++;
          }
        }),
      );
      return { count, seconds: (performance.now() - started) / 1000 };
    },
    { backends: s.backends },
  );
  // This process runs the application (sealing included) and PostgreSQL the statements: both count.
  return { rate: result.count / result.seconds, cpuMs: (cpu.processMs + (cpu.postgresMs ?? 0)) / result.count };
}

/** The 99th percentile of reading a whole plan for `seconds`, one read after another, in milliseconds. */
async function readP99(s: Side, seconds: number): Promise<number> {
  const times: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  for (let i = 0; performance.now() < deadline; i++) {
    const { planId } = s.plans[i % 8]!;
    const started = performance.now();
    const plan = await s.app.planReads.get(officer, planId);
    times.push(performance.now() - started);
    if (!plan) throw new Error('plan not found');
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length * 0.99)]!;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const list = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(' / ');

export async function benchPersonalData(url: string, log: (line: string) => void): Promise<BenchFigure[]> {
  log(`preparing ${PLANS} plans on each side (sealed, plain)`);
  const [sealed, plain] = [await side(url, true), await side(url, false)];
  try {
    // Both sides' code and caches warm before anything counts.
    for (const s of [plain, sealed]) {
      await attemptRate(s, WARMUP_SECONDS);
      await readP99(s, WARMUP_SECONDS);
    }
    const rates = { sealed: [] as number[], plain: [] as number[] };
    const cpu = { sealed: [] as number[], plain: [] as number[] };
    const reads = { sealed: [] as number[], plain: [] as number[] };
    // Rounds in turns, A B then B A: a noisy spell on the shared machine falls on both sides alike,
    // and each round's ratio compares runs a moment apart.
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ([plain, sealed] as const) : ([sealed, plain] as const);
      for (const s of order) {
        const kind = s === sealed ? 'sealed' : 'plain';
        const measured = await attemptRate(s, SECONDS);
        rates[kind].push(measured.rate);
        cpu[kind].push(measured.cpuMs);
      }
      for (const s of order) reads[s === sealed ? 'sealed' : 'plain'].push(await readP99(s, SECONDS));
    }
    log(`attempts/s plain ${list(rates.plain)}, sealed ${list(rates.sealed)}`);
    log(
      `CPU per attempt (this process and PostgreSQL), ms: plain ${list(cpu.plain, 2)}, sealed ${list(cpu.sealed, 2)}`,
    );
    log(`plan read p99 ms plain ${list(reads.plain, 2)}, sealed ${list(reads.sealed, 2)}`);

    // A pupil whose record holds about 1,000 events: erasure destroys one key, whatever the length.
    const { pupilId, planId } = sealed.plans[8]!;
    for (let i = 0; i < 1_000; i++) await attempt(sealed.app, planId);
    const started = performance.now();
    const erased = await sealed.app.pupils.erase(
      { type: 'ErasePupilData', data: { pupilId, retentionClass: 'records', reason: 'Bench.' } },
      as(admin),
    );
    const eraseMs = performance.now() - started;
    if (erased.outcome !== 'accepted') throw new Error(JSON.stringify(erased));
    const rate = median(rates.sealed.map((r, round) => r / rates.plain[round]!));
    const read = median(reads.plain.map((r, round) => r / reads.sealed[round]!));
    return [
      {
        name: 'plan attempts with sealing',
        value: median(rates.sealed),
        unit: 'attempts/s',
        baseline: 'without',
        ratio: rate,
        target: '≥ 80 % of without',
        met: rate >= 0.8,
      },
      {
        name: 'plan read p99 with sealing',
        value: median(reads.sealed),
        unit: 'ms',
        baseline: 'without (speed)',
        ratio: read,
        target: '≥ 80 % of without',
        met: read >= 0.8,
      },
      {
        name: 'erasing a pupil whose plan holds ~1,000 events',
        value: eraseMs,
        unit: 'ms',
        target: '< 100 ms',
        met: eraseMs < 100,
      },
    ];
  } finally {
    await sealed.drop();
    await plain.drop();
  }
}
