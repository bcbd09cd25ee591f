// What sealing personal data costs: plan commands and plan reads with a vault and without, measured
// in the same run on PostgreSQL, and the time to erase a pupil with a long record.
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
import type { BenchFigure } from './figures.ts';
import { scratchDatabase } from './scratch-database.ts';

const officer: Principal = { id: 'bench-officer', role: 'la_officer', tenant: '801' };
const admin: Principal = { id: 'bench-admin', role: 'admin', tenant: '801' };
const PLANS = 16;
const ATTEMPTS_PER_PLAN = 60;
const READS = 2_000;
const ROUNDS = 3;

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
    async drop() {
      await storage.close();
      await database.drop();
    },
  };
}

/** Attempts per second, 8 plans at a time, each plan's attempts in order. */
async function attemptRate(s: Side): Promise<number> {
  const started = performance.now();
  await Promise.all(
    s.plans.slice(0, 8).map(async ({ planId }) => {
      for (let i = 0; i < ATTEMPTS_PER_PLAN / ROUNDS; i++) {
        const result = await attempt(s.app, planId);
        if (result.outcome !== 'accepted') throw new Error(JSON.stringify(result));
      }
    }),
  );
  return (8 * (ATTEMPTS_PER_PLAN / ROUNDS)) / ((performance.now() - started) / 1000);
}

/** The 99th percentile of reading a whole plan, in milliseconds. */
async function readP99(s: Side): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS / ROUNDS; i++) {
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

export async function benchPersonalData(url: string, log: (line: string) => void): Promise<BenchFigure[]> {
  log(`preparing ${PLANS} plans on each side (sealed, plain)`);
  const [sealed, plain] = [await side(url, true), await side(url, false)];
  try {
    const rates = { sealed: [] as number[], plain: [] as number[] };
    const reads = { sealed: [] as number[], plain: [] as number[] };
    // Interleaved rounds, so that a noisy spell on the machine falls on both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      rates.plain.push(await attemptRate(plain));
      rates.sealed.push(await attemptRate(sealed));
      reads.plain.push(await readP99(plain));
      reads.sealed.push(await readP99(sealed));
    }
    log(
      `attempts/s plain ${rates.plain.map((r) => r.toFixed(0)).join(' / ')}, sealed ${rates.sealed.map((r) => r.toFixed(0)).join(' / ')}`,
    );
    log(
      `plan read p99 ms plain ${reads.plain.map((r) => r.toFixed(2)).join(' / ')}, sealed ${reads.sealed.map((r) => r.toFixed(2)).join(' / ')}`,
    );

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
    const [rate, read] = [median(rates.sealed) / median(rates.plain), median(reads.plain) / median(reads.sealed)];
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
