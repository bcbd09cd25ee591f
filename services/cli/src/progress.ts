import { SingleBar } from 'cli-progress';

/** Progress of a long command, shown on stderr so stdout stays the command's result. */
export interface Progress {
  /** `detail` is shown beside the figures; a new `phase` is always written, even between plain lines. */
  update(done: number, total: number, detail?: string, phase?: string): void;
  stop(): void;
}

/**
 * A bar with the rate and the time left when stderr is a terminal; otherwise (a log file, CI, a
 * cron job) a plain line at most every `intervalMs`, so a long run still shows it is alive.
 */
export function startProgress(label: string, unit: string, intervalMs = 5_000): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      stream: process.stderr,
      format: `${label} [{bar}] {value}/{total} ${unit} | {speed} ${unit}/s | {eta_formatted} left | {detail}`,
      hideCursor: true,
      etaBuffer: 50,
    });
    const started = Date.now();
    let running = false;
    return {
      update(done, total, detail = '') {
        const speed = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
        if (!running) {
          bar.start(total, done, { speed, detail });
          running = true;
        } else {
          bar.setTotal(total);
          bar.update(done, { speed, detail });
        }
      },
      stop: () => running && bar.stop(),
    };
  }
  let last = 0;
  let lastPhase: string | undefined;
  const started = Date.now();
  let latest = '';
  return {
    update(done, total, detail = '', phase = undefined) {
      const rate = Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
      latest = `${label}: ${done}/${total} ${unit} (${rate} ${unit}/s)${detail ? `, ${detail}` : ''}`;
      const isNewPhase = phase !== lastPhase;
      lastPhase = phase;
      if (isNewPhase || Date.now() - last >= intervalMs) {
        last = Date.now();
        process.stderr.write(`${latest}\n`);
      }
    },
    stop: () => latest && process.stderr.write(`${latest}\n`),
  };
}
