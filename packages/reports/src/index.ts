export type { ProgressChartInput, StepAnxietySeries, StepAttemptRating } from './progress-chart-input.ts';
export { renderProgressSvg } from './progress-svg.ts';
