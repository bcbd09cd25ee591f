export * from './analytics-figures.ts';
export * from './small-number-suppression.ts';
