import { PROJECTION_GAUGES, type RunnerStatus } from '@small-steps/projections';
import { Gauge, type Registry } from 'prom-client';

/** Each projection's lag as gauges on `registry`, read from `status` when scraped. */
export function registerProjectionLag(registry: Registry, status: () => readonly RunnerStatus[]): void {
  for (const { name, help, value } of PROJECTION_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames: ['projection'] as const,
      registers: [registry],
      collect() {
        for (const runner of status()) this.set({ projection: runner.name }, value(runner));
      },
    });
  }
}
