import { timeScaleOf } from './chart-time-axis.ts';
import { anxietyPanel } from './progress-anxiety-panel.ts';
import { attendancePanel } from './progress-attendance-panel.ts';
import type { ProgressChartInput, StepAnxietySeries } from './progress-chart-input.ts';
import { describeProgress } from './progress-description.ts';
import { placeMarkers } from './progress-event-markers.ts';
import { LAYOUT } from './progress-layout.ts';
import { dayNumber, longDate } from './report-dates.ts';
import { element, textElement } from './svg-markup.ts';

const PANEL_GAP = 36;

const header = (input: ProgressChartInput): { markup: string; height: number } => {
  const { totals, rolling4WeekRate } = input.trend;
  const figures = [
    totals.rate === null ? null : `So far this school year: ${totals.rate}% of sessions attended.`,
    rolling4WeekRate === null ? null : `Average of the last 4 weeks: ${rolling4WeekRate}%.`,
  ].filter((line) => line !== null);
  const lines = [
    textElement(
      'text',
      { x: LAYOUT.plotLeft, y: 34, 'font-size': LAYOUT.fontSize.title, 'font-weight': 'bold' },
      input.title,
    ),
    ...(input.subtitle === undefined
      ? []
      : [textElement('text', { x: LAYOUT.plotLeft, y: 60, 'font-size': LAYOUT.fontSize.subtitle }, input.subtitle)]),
  ];
  const detailsY = input.subtitle === undefined ? 60 : 84;
  lines.push(
    textElement(
      'text',
      { x: LAYOUT.plotLeft, y: detailsY, 'font-size': LAYOUT.fontSize.body, fill: LAYOUT.mutedInk },
      [`Made on ${longDate(dayNumber(input.generatedOn))}.`, ...figures].join(' '),
    ),
  );
  return { markup: element('g', {}, lines), height: detailsY + 24 };
};

/**
 * A pupil's progress picture as a standalone SVG 1.1 document: weekly attendance with the plan's
 * events above, and anxiety after each attempt per step below, on one time axis. Only dates in the
 * trend's academic year are drawn. All text from the input is escaped.
 */
export const renderProgressSvg = (input: ProgressChartInput): string => {
  const { trend } = input;
  const [from, to] = [dayNumber(trend.from), dayNumber(trend.to)];
  const inYear = (date: string) => {
    const day = dayNumber(date);
    return day >= from && day <= to;
  };
  const markers = (input.markers ?? trend.markers).filter((m) => inYear(m.date));
  const steps: StepAnxietySeries[] = input.steps.map((step) => ({
    ...step,
    attempts: step.attempts.filter((a) => inYear(a.date)),
  }));
  const scale = timeScaleOf([
    ...trend.weeks.filter((w) => w.rate !== null).map((w) => dayNumber(w.weekStart)),
    ...markers.map((m) => dayNumber(m.date)),
    ...steps.flatMap((s) => s.attempts.filter((a) => a.anxietyAfter !== null).map((a) => dayNumber(a.date))),
  ]);
  const placed = placeMarkers(markers, scale);
  const top = header(input);
  const attendance = attendancePanel(trend, markers, placed, scale, top.height);
  const anxietyTop = top.height + attendance.height + PANEL_GAP;
  const anxiety = anxietyPanel(steps, scale, anxietyTop);
  const height = Math.ceil(anxietyTop + anxiety.height + 24);
  const svg = element(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      version: '1.1',
      width: LAYOUT.width,
      height,
      viewBox: `0 0 ${LAYOUT.width} ${height}`,
      role: 'img',
      'aria-labelledby': 'progress-title progress-desc',
      'font-family': LAYOUT.fontFamily,
      'font-size': LAYOUT.fontSize.body,
      fill: LAYOUT.ink,
    },
    [
      textElement('title', { id: 'progress-title' }, input.title),
      textElement('desc', { id: 'progress-desc' }, describeProgress(trend, markers, steps)),
      element('rect', { x: 0, y: 0, width: LAYOUT.width, height, fill: '#ffffff' }),
      top.markup,
      attendance.markup,
      element('line', {
        x1: LAYOUT.plotLeft,
        x2: LAYOUT.plotRight,
        y1: anxietyTop - PANEL_GAP / 2,
        y2: anxietyTop - PANEL_GAP / 2,
        stroke: LAYOUT.grid,
      }),
      anxiety.markup,
    ],
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`;
};
