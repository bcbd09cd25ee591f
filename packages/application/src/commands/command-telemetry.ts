import { channel } from 'node:diagnostics_channel';
import type { CommandResult } from './command-result.ts';

/**
 * What commands report as they run, for whoever counts them (the api's `/metrics`). It goes over a
 * diagnostics channel, so the application depends on no metrics library, and with nothing
 * subscribed a report costs one property read.
 */
export type CommandReport =
  /** A command ended, in any outcome (a replay of an earlier answer included). */
  | { kind: 'finished'; result: CommandResult }
  /** An attempt lost a race (the record moved on, the key was taken) and is tried afresh. */
  | { kind: 'retried' }
  /** Events were appended (their types, one entry per event). */
  | { kind: 'appended'; types: readonly string[] }
  /** A register upload was carried out: the rows it held. */
  | { kind: 'marks-ingested'; rows: number };

const reports = channel('small-steps:commands');

export function report(message: CommandReport): void {
  if (reports.hasSubscribers) reports.publish(message);
}

/** Calls `listener` with every report in this process until the returned function is called. */
export function onCommandReport(listener: (message: CommandReport) => void): () => void {
  const subscriber = (message: unknown) => listener(message as CommandReport);
  reports.subscribe(subscriber);
  return () => reports.unsubscribe(subscriber);
}
