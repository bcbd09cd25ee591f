import { emptyMessage, type Panel, panelHeading } from './chart-panel.ts';
import { pointMarker, type SeriesStyle, seriesStyle } from './chart-series-styles.ts';
import { TIME_AXIS_HEIGHT, type TimeScale, timeAxis } from './chart-time-axis.ts';
import type { StepAnxietySeries } from './progress-chart-input.ts';
import { LAYOUT } from './progress-layout.ts';
import { stepLabels } from './progress-step-labels.ts';
import { stepLegend } from './progress-step-legend.ts';
import { type RatedPoint, ratedPoints } from './progress-step-points.ts';
import { element, px, textElement } from './svg-markup.ts';

const PLOT_HEIGHT = 230;
/** Attempts further apart than this are drawn unjoined: a step revisited after a break starts a new stretch. */
const JOIN_WITHIN_DAYS = 28;

const stepLine = (
  step: StepAnxietySeries,
  points: readonly RatedPoint[],
  style: SeriesStyle,
  scale: TimeScale,
  y: (a: number) => number,
) => {
  const runs: RatedPoint[][] = [];
  points.forEach((point, i) => {
    const before = points[i - 1];
    if (before === undefined || point.at - before.at > JOIN_WITHIN_DAYS) runs.push([]);
    runs.at(-1)!.push(point);
  });
  return element('g', { class: 'step-series' }, [
    textElement('title', {}, `Step ${step.stepNumber}: ${step.description}`),
    ...runs.map((run) =>
      element('polyline', {
        class: 'step-line',
        points: run.map((p) => `${px(scale.x(p.at))},${px(y(p.anxiety))}`).join(' '),
        fill: 'none',
        stroke: style.colour,
        'stroke-width': 2.5,
        'stroke-dasharray': style.dash,
        'stroke-linejoin': 'round',
      }),
    ),
    ...points.map((p) => pointMarker(style, scale.x(p.at), y(p.anxiety))),
  ]);
};

/**
 * Anxiety after each attempt, one line per step on the same time axis as the attendance, so a
 * reader can see each step's curve fall and what attendance did meanwhile.
 */
export const anxietyPanel = (steps: readonly StepAnxietySeries[], scale: TimeScale | null, top: number): Panel => {
  const heading = panelHeading(
    'Anxiety after each attempt at a step',
    'Each point is one attempt: how anxious the pupil felt afterwards, from 0 (calm) to 10 (very anxious).',
    top,
  );
  const note = textElement(
    'text',
    { x: LAYOUT.plotLeft, y: heading.bottom + 12, 'font-weight': 'bold' },
    'Lower is better: anxiety should fall as a step gets easier.',
  );
  const series = steps.map((step, i) => ({ step, style: seriesStyle(i), points: ratedPoints(step) }));
  const attempts = steps.reduce((sum, s) => sum + s.attempts.length, 0);
  const rated = series.reduce((sum, s) => sum + s.points.length, 0);
  if (scale === null || rated === 0) {
    const text =
      steps.length === 0
        ? 'No steps have been agreed yet.'
        : attempts === 0
          ? 'No attempts at a step have been recorded yet.'
          : 'The pupil has not rated their anxiety after any attempt yet.';
    const message = emptyMessage(text, heading.bottom + 8);
    const list =
      steps.length === 0 ? { markup: '', bottom: message.bottom } : stepLegend(steps, message.bottom + 8, false);
    return { markup: heading.markup + message.markup + list.markup, height: list.bottom - top };
  }
  const plotTop = heading.bottom + 34;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const y = (anxiety: number) => plotBottom - (anxiety / 10) * PLOT_HEIGHT;
  const grid = [0, 2, 4, 6, 8, 10].map((level) =>
    element('g', {}, [
      element('line', { x1: LAYOUT.plotLeft, x2: LAYOUT.plotRight, y1: y(level), y2: y(level), stroke: LAYOUT.grid }),
      textElement('text', { x: LAYOUT.plotLeft - 8, y: y(level) + 5, 'text-anchor': 'end' }, String(level)),
    ]),
  );
  const axisLeft = textElement(
    'text',
    {
      transform: `translate(${px(LAYOUT.plotLeft - 40)} ${px(plotTop + PLOT_HEIGHT / 2)}) rotate(-90)`,
      'text-anchor': 'middle',
      fill: LAYOUT.mutedInk,
    },
    'Anxiety after (0 to 10)',
  );
  const legendTop = plotBottom + TIME_AXIS_HEIGHT + 8;
  const list = stepLegend(steps, legendTop, true);
  const unrated = attempts - rated;
  const footnote =
    unrated === 0
      ? ''
      : textElement(
          'text',
          { x: LAYOUT.plotLeft, y: list.bottom + 16, fill: LAYOUT.mutedInk },
          `${unrated} of ${attempts} attempts are not shown because the pupil chose not to rate them.`,
        );
  return {
    markup: element('g', { 'font-size': LAYOUT.fontSize.body }, [
      heading.markup,
      note,
      ...grid,
      axisLeft,
      ...series.map((s) => stepLine(s.step, s.points, s.style, scale, y)),
      ...stepLabels(series, scale, y),
      timeAxis(scale, plotBottom, 'Date of attempt (week starting Monday)'),
      list.markup,
      footnote,
    ]),
    height: list.bottom + (footnote === '' ? 0 : 24) - top,
  };
};
