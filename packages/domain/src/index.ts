export * from './access/index.ts';
export * from './alerts/index.ts';
export * from './attendance/index.ts';
export * from './calendar/index.ts';
export * from './decision.ts';
export * from './plan/index.ts';
export * from './pupil/index.ts';
export * from './upn/index.ts';
