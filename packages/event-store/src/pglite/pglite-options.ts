import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/**
 * PostgreSQL's settings inside PGlite, for the data folder and the test templates alike. It touches
 * all of its shared buffers at start: at the default 128MB that was most of a start's time and
 * resident memory on a 2-core VM, for a database that serves one process on one machine. Reads
 * beyond 16MB of hot pages are served from the operating system's file cache (the data folder is
 * a real folder).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];

const INT8 = 20;
const XID8 = 5069;
const toBigInt = (text: string): bigint => BigInt(text);

/** PGlite parsers that return int8 and xid8 as bigint, as the PostgreSQL adapter does. */
export const PGLITE_PARSERS = { [INT8]: toBigInt, [XID8]: toBigInt };

/** How every PGlite of the event store is opened: these settings and parsers. */
export const PGLITE_OPTIONS = {
  startParams: PGLITE_START_PARAMS,
  parsers: PGLITE_PARSERS,
} as const satisfies PGliteOptions;
