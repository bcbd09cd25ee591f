import type { RebuildProgress } from '@small-steps/application';
import { Presets, SingleBar } from 'cli-progress';

/** How often a line is written when the output is not a terminal (a log, a CI job). */
const PLAIN_EVERY_MS = 5_000;

export interface ProgressReporter {
  update(progress: RebuildProgress): void;
  stop(): void;
}

/**
 * A rebuild's progress on `out`: a bar (events done, rate, time left) on a terminal, otherwise a
 * plain line every few seconds and at each phase.
 */
export function progressReporter(projection: string, out: NodeJS.WriteStream): ProgressReporter {
  if (out.isTTY) {
    const bar = new SingleBar(
      {
        stream: out,
        format: `${projection} [{bar}] {percentage}% | {value}/{total} events | {rate} events/s | {phase}, {eta_formatted} left`,
        etaBuffer: 50,
        hideCursor: true,
      },
      Presets.shades_classic,
    );
    let started = false;
    return {
      update({ events, total, eventsPerSecond, phase }) {
        const payload = { rate: Math.round(eventsPerSecond), phase };
        if (!started) {
          bar.start(total, events, payload);
          started = true;
        }
        bar.setTotal(total);
        bar.update(events, payload);
      },
      stop: () => bar.stop(),
    };
  }
  let last = 0;
  let lastPhase: RebuildProgress['phase'] | undefined;
  return {
    update({ events, total, eventsPerSecond, phase }) {
      const now = Date.now();
      if (phase === lastPhase && now - last < PLAIN_EVERY_MS) return;
      [last, lastPhase] = [now, phase];
      const left = eventsPerSecond > 0 ? Math.ceil((total - events) / eventsPerSecond) : 0;
      out.write(
        `${projection}: ${phase}, ${events}/${total} events, ${Math.round(eventsPerSecond)} events/s` +
          `${phase === 'replaying' ? `, about ${left} s left` : ''}\n`,
      );
    },
    stop() {},
  };
}
