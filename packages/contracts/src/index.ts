export * from './audit/index.ts';
export * from './attendance/index.ts';
export * from './common/index.ts';
export * from './events/index.ts';
export * from './feed/index.ts';
export * from './plan/index.ts';
export * from './pupil/index.ts';
