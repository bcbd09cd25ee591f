import type { RunnerStatus } from './projection-runner.ts';

/** One per-projection gauge a process that runs projections reports: its name, help text and value. */
export interface ProjectionGauge {
  name: string;
  help: string;
  value(runner: RunnerStatus): number;
}

/**
 * The lag figures of each projection, the same whichever process runs them (the worker, or the
 * embedded api); each service turns them into its metrics library's gauges, labelled `projection`.
 */
export const PROJECTION_GAUGES: readonly ProjectionGauge[] = [
  {
    name: 'small_steps_projection_lag_events',
    help: 'Events in the log not yet applied by the projection.',
    value: (runner) => runner.lagEvents,
  },
  {
    name: 'small_steps_projection_lag_seconds',
    help: 'Seconds since the oldest event not yet applied was recorded.',
    value: (runner) => runner.lagSeconds,
  },
  {
    name: 'small_steps_projection_failed',
    help: '1 when the projection stopped on an event its handler failed on.',
    value: (runner) => (runner.state === 'failed' ? 1 : 0),
  },
];
