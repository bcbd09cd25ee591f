import { PGlite } from '@electric-sql/pglite';

/**
 * PostgreSQL's settings inside PGlite, for the data folder and the test templates alike. It touches
 * all of its shared buffers at start: at the default 128MB that was most of a start's time and
 * resident memory on a 2-core VM, for a database that serves one process on one machine. Reads
 * beyond 16MB of hot pages are served from the operating system's file cache (the data folder is
 * a real folder).
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'];
