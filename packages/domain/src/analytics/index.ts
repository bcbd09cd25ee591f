export * from './small-number-suppression.ts';
