import type { Block } from './chart-panel.ts';
import { pointMarker, seriesStyle } from './chart-series-styles.ts';
import type { StepAnxietySeries } from './progress-chart-input.ts';
import { LAYOUT, PLOT_WIDTH } from './progress-layout.ts';
import { ratedPoints } from './progress-step-points.ts';
import { element, fitText, textElement, textWidth } from './svg-markup.ts';

const LEGEND_ROW_HEIGHT = 26;

const STATE_WORDS: Record<string, string> = {
  agreed: 'not started yet',
  practising: 'practising',
  mastered: 'mastered',
  split: 'split into smaller steps',
  withdrawn: 'withdrawn',
};

/**
 * The ladder, each drawn step beside a sample of its line, so colour never carries the meaning alone;
 * `withSamples` is false when there is no chart for samples to point at.
 */
export const stepLegend = (steps: readonly StepAnxietySeries[], top: number, withSamples: boolean): Block => {
  const columns = steps.length > 8 ? 2 : 1;
  const perColumn = Math.ceil(steps.length / columns);
  const columnWidth = PLOT_WIDTH / columns;
  const size = LAYOUT.fontSize.body;
  const entries = steps.map((step, i) => {
    const style = seriesStyle(i);
    const x = LAYOUT.plotLeft + Math.floor(i / perColumn) * columnWidth;
    const cy = top + 30 + (i % perColumn) * LEGEND_ROW_HEIGHT + 8;
    const isDrawn = ratedPoints(step).length > 0;
    const unrated = step.attempts.length > 0 && !isDrawn ? ', no ratings yet' : '';
    const state = `${STATE_WORDS[step.state] ?? step.state}${unrated}`;
    const textX = withSamples ? x + 44 : x;
    const name = `Step ${step.stepNumber}`;
    const stateWidth = textWidth(` (${state})`, size);
    const room = columnWidth - (textX - x) - 16 - stateWidth - textWidth(`${name}: `, size);
    return element('g', {}, [
      withSamples && isDrawn
        ? element('g', {}, [
            element('line', {
              x1: x,
              x2: x + 32,
              y1: cy,
              y2: cy,
              stroke: style.colour,
              'stroke-width': 2.5,
              'stroke-dasharray': style.dash,
            }),
            pointMarker(style, x + 16, cy),
          ])
        : '',
      element('text', { x: textX, y: cy + 5 }, [
        textElement('tspan', { 'font-weight': 'bold' }, `${name}: `),
        textElement('tspan', {}, fitText(step.description, room, size)),
        textElement('tspan', { fill: LAYOUT.mutedInk }, ` (${state})`),
      ]),
    ]);
  });
  return {
    markup: element('g', { 'font-size': size }, [
      textElement('text', { x: LAYOUT.plotLeft, y: top + 16, 'font-weight': 'bold' }, 'Steps of the plan'),
      ...entries,
    ]),
    bottom: top + 30 + perColumn * LEGEND_ROW_HEIGHT,
  };
};
