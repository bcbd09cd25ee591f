import { type IsoDate, schoolCalendar } from '../calendar/index.ts';
import type { CommandMetadata, PlanCommand, PlanCommandType } from '../plan/plan-commands.ts';
import type { PlanContext } from '../plan/plan-context.ts';
import { decidePlan } from '../plan/plan-decide.ts';
import type { PlanEvent } from '../plan/plan-events.ts';
import { planPolicy } from '../plan/plan-policy.ts';
import { defaultProvisionCatalogue } from '../plan/plan-provision-catalogue.ts';
import { evolvePlan, initialState, type Plan } from '../plan/plan-state.ts';
import { groundworkAreas, type Participant, type StepTerms } from '../plan/plan-values.ts';

/** The fixed clock: Monday 8 September 2025, 09:00 in England; when an undated command is recorded. */
export const fixedNow = '2025-09-08T08:00:00Z';

export const ids = {
  plan: 'plan-0001',
  pupil: 'pupil-0001',
  school: '100001',
  goal: 'goal-1',
  barrier: 'barrier-1',
  step: (n: number | string) => `step-${n}`,
} as const;

export const people = {
  pupil: { id: 'person-pupil', role: 'pupil' },
  parent: { id: 'person-parent', role: 'parent_carer' },
  senco: { id: 'person-senco', role: 'senco' },
  keyAdult: { id: 'person-key-adult', role: 'key_adult' },
  officer: { id: 'person-officer', role: 'la_officer' },
} as const satisfies Record<string, Participant>;

/** The pupil, a parent and the SENCo: who every agreement needs. */
export const agreedBy: Participant[] = [people.pupil, people.parent, people.senco];

/** 2025/26 term dates of a school in England: half terms split each term. */
export const testCalendar = schoolCalendar([
  { start: '2025-09-03', end: '2025-10-24' },
  { start: '2025-11-03', end: '2025-12-19' },
  { start: '2026-01-05', end: '2026-02-13' },
  { start: '2026-02-23', end: '2026-03-27' },
  { start: '2026-04-13', end: '2026-05-22' },
  { start: '2026-06-01', end: '2026-07-22' },
]);

export const testContext = (overrides: Partial<PlanContext> = {}): PlanContext => ({
  policy: planPolicy(),
  calendar: testCalendar,
  provisionCatalogue: defaultProvisionCatalogue,
  ...overrides,
});

/**
 * Who asks, and when: a command dated `occurredOn` is recorded that morning, 08:00 UTC (so the
 * fixtures tell a story as it unfolds, never dated after it is recorded); an undated one at the fixed clock.
 */
export const metadata = (occurredOn?: IsoDate): CommandMetadata => ({
  actor: { id: 'user-senco', role: 'school_staff', tenant: '801' },
  now: occurredOn === undefined ? fixedNow : `${occurredOn}T08:00:00Z`,
  ...(occurredOn === undefined ? {} : { occurredOn }),
});

type CommandOf<T extends PlanCommandType> = Extract<PlanCommand, { type: T }>;

/** A command dated `occurredOn` and recorded that day, or undated and recorded at the fixed clock. */
export const command = <T extends PlanCommandType>(
  type: T,
  data: CommandOf<T>['data'],
  occurredOn?: IsoDate,
): CommandOf<T> => ({ type, data, metadata: metadata(occurredOn) }) as CommandOf<T>;

/** A step for a ladder; only what a test is about needs saying. */
export const step = (n: number | string, terms: Partial<StepTerms> = {}): StepTerms => ({
  stepId: ids.step(n),
  description: `Step ${n}`,
  where: 'school',
  withWhom: 'key adult',
  supports: [],
  minutes: 10,
  timesPerWeek: 5,
  predictedAnxiety: Number(n),
  dependsOn: [],
  ...terms,
});

export const openPlan = (on?: IsoDate) =>
  command(
    'OpenPlan',
    {
      planId: ids.plan,
      pupilId: ids.pupil,
      schoolUrn: ids.school,
      keyAdult: { id: people.keyAdult.id, name: 'Ms Key' },
      presentingConcern: 'Has not attended since the spring half term.',
    },
    on,
  );

export const recordView = (role: Participant['role'], on?: IsoDate) =>
  command(
    'RecordView',
    {
      role,
      participantId: null,
      worries: 'The noise.',
      whatHelps: 'Quiet.',
      hopes: 'To see friends.',
      concernsAboutPlan: null,
    },
    on,
  );

export const recordGroundwork = (area: (typeof groundworkAreas)[number], on?: IsoDate) =>
  command('RecordGroundwork', { area, summary: `About ${area}.`, assessment: null }, on);

export const agreeGoal = (on?: IsoDate) =>
  command('AgreeGoal', { goalId: ids.goal, pupilWords: 'A full day at school.', participants: agreedBy }, on);

export const agreeSteps = (steps: StepTerms[], on?: IsoDate) =>
  command('AgreeSteps', { goalId: ids.goal, steps, participants: agreedBy }, on);

export const startStep = (n: number | string, on?: IsoDate) => command('StartStep', { stepId: ids.step(n) }, on);

export const recordAttempt = (
  n: number | string,
  attempt: Partial<CommandOf<'RecordAttempt'>['data']> = {},
  on?: IsoDate,
) =>
  command(
    'RecordAttempt',
    {
      stepId: ids.step(n),
      outcome: 'completed',
      anxietyBefore: 4,
      anxietyAfter: 2,
      minutes: 10,
      extendedBy: null,
      supportsUsed: [],
      pupilWords: null,
      ...attempt,
    },
    on,
  );

export const masterStep = (n: number | string, on?: IsoDate) =>
  command('MasterStep', { stepId: ids.step(n), pupilConfirmed: true, pupilWords: 'That was fine.' }, on);

export const identifyBarrier = (barrierId: string = ids.barrier, on?: IsoDate) =>
  command(
    'IdentifyBarrier',
    { barrierId, kind: 'sensory', description: 'The hall is loud.', situations: ['assembly'] },
    on,
  );

/** Runs commands through the decider and returns the events; throws on a refusal, naming it. */
export function historyOf(commands: readonly PlanCommand[], context: PlanContext = testContext()): PlanEvent[] {
  const events: PlanEvent[] = [];
  let plan: Plan = initialState();
  for (const c of commands) {
    const decision = decidePlan(c, plan, context);
    if (decision.outcome === 'rejected') throw new Error(`${c.type} refused (${decision.rule}): ${decision.reason}`);
    events.push(...decision.events);
    plan = decision.events.reduce(evolvePlan, plan);
  }
  return events;
}

/** Opened, with the pupil's and a parent's views and all five groundwork areas: ready to agree steps. */
export const gatheringCommands = (): PlanCommand[] => [
  openPlan('2025-09-08'),
  recordView('pupil', '2025-09-09'),
  recordView('parent_carer', '2025-09-09'),
  ...groundworkAreas.map((area) => recordGroundwork(area, '2025-09-10')),
  agreeGoal('2025-09-11'),
];

/** An active plan with the goal's ladder agreed on Friday 12 September 2025 (steps 1–4 by default). */
export const activeCommands = (steps: StepTerms[] = [1, 2, 3, 4].map((n) => step(n))): PlanCommand[] => [
  ...gatheringCommands(),
  agreeSteps(steps, '2025-09-12'),
];

/** Step `n` started and mastered with two easy attempts, from an active plan. */
export const masteredCommands = (n: number, day: IsoDate): PlanCommand[] => [
  startStep(n, day),
  recordAttempt(n, {}, day),
  recordAttempt(n, {}, day),
  masterStep(n, day),
];
