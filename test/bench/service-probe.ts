// Loaded into the service's process by the plan-attempts bench (`--import`): between the bench's
// `start` and `stop` messages it counts what the garbage collector did and how late the event loop
// ran, and sends that back. Nothing else of the bench runs in the service's process.
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

/** What the probe answers to `stop`: the GC's pauses (ms) and the event loop's delay (ms). */
export interface ProbeReport {
  gc: { longest: number; total: number; full: number };
  loop: { p99: number; max: number };
}

const loop = monitorEventLoopDelay({ resolution: 1 });
let gc = { longest: 0, total: 0, full: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gc.longest = Math.max(gc.longest, entry.duration);
    gc.total += entry.duration;
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.full++;
  }
}).observe({ entryTypes: ['gc'] });

process.on('message', (message) => {
  if (message === 'start') {
    gc = { longest: 0, total: 0, full: 0 };
    loop.reset();
    loop.enable();
  } else if (message === 'stop') {
    loop.disable();
    const report: ProbeReport = { gc, loop: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } };
    process.send!(report);
  }
});
// The channel must not keep the service alive once it is asked to stop.
process.channel?.unref();
