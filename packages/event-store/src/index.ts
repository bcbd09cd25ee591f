export type * from './event-store.ts';
export { START_OF_LOG } from './event-store.ts';
export type * from './schema.ts';
