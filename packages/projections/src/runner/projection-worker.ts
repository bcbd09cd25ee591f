import type { EventStore, Leases } from '@small-steps/event-store';
import type { Kysely } from 'kysely';
import type { Projection } from '../projection.ts';
import { ProjectionRunner, type RunnerLog, type RunnerOptions, type RunnerStatus } from './projection-runner.ts';

export interface WorkerOptions extends Pick<RunnerOptions, 'batchSize' | 'pollMs' | 'leaseRetryMs' | 'clock'> {
  storage: { store: EventStore; db: Kysely<object>; leases: Leases };
  projections: readonly Projection[];
  log: RunnerLog;
}

/**
 * Runs the projections that are kept from the log rather than inline, each on its own runner:
 * one failing leaves the others running. Several workers (processes) may run it at once; each
 * projection is applied by one of them at a time.
 */
export class ProjectionWorker {
  readonly #runners: ProjectionRunner[];

  constructor({ storage, projections, log, ...options }: WorkerOptions) {
    const names = new Set<string>();
    for (const { name } of projections) {
      if (names.has(name)) throw new TypeError(`Two projections are named ${name}.`);
      names.add(name);
    }
    this.#runners = projections.map(
      (projection) =>
        new ProjectionRunner({
          ...options,
          store: storage.store,
          db: storage.db,
          leases: storage.leases,
          projection,
          log,
        }),
    );
  }

  start(): void {
    for (const runner of this.#runners) runner.start();
  }

  async stop(): Promise<void> {
    await Promise.all(this.#runners.map((runner) => runner.stop()));
  }

  /** Applies everything in the log now, for each projection (tests and tools). */
  async catchUp(): Promise<void> {
    for (const runner of this.#runners) await runner.catchUp();
  }

  status(): RunnerStatus[] {
    return this.#runners.map((runner) => runner.status());
  }

  /** True unless a projection's handler failed: the others still run, but someone must look. */
  isHealthy(): boolean {
    return this.#runners.every((runner) => runner.status().state !== 'failed');
  }
}

/** A runner's state in a line, for readiness bodies and logs. */
export function describeRunner(status: RunnerStatus): string {
  if (status.failure !== null) {
    const { position, eventType, eventId, error } = status.failure;
    return `failed at ${position} on ${eventType} ${eventId}: ${error}`;
  }
  if (status.state === 'running') {
    return status.lagEvents === 0 ? 'running, caught up' : `running, ${status.lagEvents} events behind`;
  }
  return status.state === 'standby' ? 'standby: another process runs it' : status.state;
}
