import { LAYOUT, PLOT_WIDTH } from './progress-layout.ts';
import { mondayOf, shortDate } from './report-dates.ts';
import { element, textElement } from './svg-markup.ts';

/** Whole weeks from the Monday before the first day to the Sunday after the last, across the plot. */
export interface TimeScale {
  firstMonday: number;
  /** Every Monday in the range, in order. */
  mondays: number[];
  /** The x of the start of a day. */
  x: (day: number) => number;
  weekWidth: number;
}

export const timeScaleOf = (days: readonly number[]): TimeScale | null => {
  if (days.length === 0) return null;
  const firstMonday = mondayOf(Math.min(...days));
  const weekCount = (mondayOf(Math.max(...days)) - firstMonday) / 7 + 1;
  const dayWidth = PLOT_WIDTH / (weekCount * 7);
  return {
    firstMonday,
    mondays: Array.from({ length: weekCount }, (_, i) => firstMonday + 7 * i),
    x: (day) => LAYOUT.plotLeft + (day - firstMonday) * dayWidth,
    weekWidth: dayWidth * 7,
  };
};

const LABEL_SPACING = 56;

/**
 * Date labels under the school days of every week, or of every second, fourth … week when a
 * label per week would collide, with a tick at each week start.
 */
export const timeAxis = (scale: TimeScale, y: number, caption: string): string => {
  const every = 2 ** Math.max(0, Math.ceil(Math.log2(LABEL_SPACING / scale.weekWidth)));
  const parts = [element('line', { x1: LAYOUT.plotLeft, x2: LAYOUT.plotRight, y1: y, y2: y, stroke: LAYOUT.ink })];
  scale.mondays.forEach((monday, i) => {
    if (i % every !== 0) return;
    const x = scale.x(monday);
    parts.push(element('line', { x1: x, x2: x, y1: y, y2: y + 5, stroke: LAYOUT.ink }));
    parts.push(
      textElement(
        'text',
        { x: x + 2.5 * (scale.weekWidth / 7), y: y + 20, 'text-anchor': 'middle', 'font-size': LAYOUT.fontSize.small },
        shortDate(monday),
      ),
    );
  });
  parts.push(
    textElement(
      'text',
      { x: (LAYOUT.plotLeft + LAYOUT.plotRight) / 2, y: y + 40, 'text-anchor': 'middle', fill: LAYOUT.mutedInk },
      caption,
    ),
  );
  return element('g', { 'font-size': LAYOUT.fontSize.body }, parts);
};

/** The height `timeAxis` takes below its line. */
export const TIME_AXIS_HEIGHT = 48;
