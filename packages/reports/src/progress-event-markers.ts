import type { TrendMarker } from '@small-steps/domain';
import type { TimeScale } from './chart-time-axis.ts';
import { LAYOUT, OKABE_ITO, PLOT_WIDTH } from './progress-layout.ts';
import { dayNumber, shortDate } from './report-dates.ts';
import { element, fitText, textElement, textWidth } from './svg-markup.ts';

/** A plan event with its number on the chart, its style and the row its badge sits in. */
export interface PlacedMarker {
  number: number;
  day: number;
  label: string;
  colour: string;
  row: number;
}

const TIMETABLE_STARTS = new Set(['part_time_timetable_started', 'part_time_timetable_agreed']);
const TIMETABLE_ENDS = new Set(['part_time_timetable_ended']);

const COLOUR_BY_KIND: Record<string, string> = {
  plan_opened: OKABE_ITO.black,
  step_mastered: OKABE_ITO.bluishGreen,
  review_held: OKABE_ITO.reddishPurple,
  part_time_timetable_started: OKABE_ITO.vermillion,
  part_time_timetable_agreed: OKABE_ITO.vermillion,
  part_time_timetable_ended: OKABE_ITO.vermillion,
};
const OTHER_KIND_COLOUR = '#777777';

const BADGE_RADIUS = 10;
const BADGE_ROW_HEIGHT = 24;

/** Numbers the markers in date order and stacks badges that would touch into further rows. */
export const placeMarkers = (markers: readonly TrendMarker[], scale: TimeScale | null): PlacedMarker[] => {
  const rowEnds: number[] = [];
  return [...markers]
    .map((marker) => ({ marker, day: dayNumber(marker.date) }))
    .sort((a, b) => a.day - b.day)
    .map(({ marker, day }, i) => {
      const x = scale ? markerX(scale, day) : 0;
      let row = rowEnds.findIndex((end) => end + 2 * BADGE_RADIUS + 3 <= x);
      if (row === -1) row = rowEnds.push(x) - 1;
      else rowEnds[row] = x;
      return {
        number: i + 1,
        day,
        label: marker.label,
        colour: COLOUR_BY_KIND[marker.kind] ?? OTHER_KIND_COLOUR,
        row,
      };
    });
};

/** The middle of the marker's day, so an event on a school day falls inside that week's bar. */
const markerX = (scale: TimeScale, day: number): number => scale.x(day + 0.5);

export const badgeRowsHeight = (placed: readonly PlacedMarker[]): number =>
  placed.length === 0 ? 0 : (Math.max(...placed.map((p) => p.row)) + 1) * BADGE_ROW_HEIGHT;

const badge = (marker: PlacedMarker, cx: number, cy: number): string =>
  element('g', {}, [
    element('circle', { cx, cy, r: BADGE_RADIUS, fill: '#ffffff', stroke: marker.colour, 'stroke-width': 2.5 }),
    textElement(
      'text',
      { x: cx, y: cy + 4.5, 'text-anchor': 'middle', 'font-size': 12, 'font-weight': 'bold', fill: LAYOUT.ink },
      String(marker.number),
    ),
  ]);

/** Numbered badges in rows above the plot, each with a dashed line down through it. */
export const markerOverlay = (
  placed: readonly PlacedMarker[],
  scale: TimeScale,
  badgesTop: number,
  plotBottom: number,
): string => {
  const rows = badgeRowsHeight(placed) / BADGE_ROW_HEIGHT;
  return element(
    'g',
    {},
    placed.map((marker) => {
      const x = markerX(scale, marker.day);
      const cy = badgesTop + (rows - 1 - marker.row) * BADGE_ROW_HEIGHT + BADGE_ROW_HEIGHT / 2;
      return element('g', { class: 'plan-event' }, [
        textElement('title', {}, `${shortDate(marker.day)}: ${marker.label}`),
        element('line', {
          x1: x,
          x2: x,
          y1: cy + BADGE_RADIUS,
          y2: plotBottom,
          stroke: marker.colour,
          'stroke-width': 1.5,
          'stroke-dasharray': '5 3',
        }),
        badge(marker, x, cy),
      ]);
    }),
  );
};

/** Spans of part-time timetable: each start runs to the next end, or to the edge of the chart. */
export const timetableSpans = (markers: readonly TrendMarker[], scale: TimeScale): { from: number; to: number }[] => {
  const sorted = [...markers].sort((a, b) => a.date.localeCompare(b.date));
  const lastDay = scale.firstMonday + scale.mondays.length * 7;
  const spans: { from: number; to: number }[] = [];
  let openFrom: number | null = null;
  for (const marker of sorted) {
    if (TIMETABLE_STARTS.has(marker.kind) && openFrom === null) openFrom = dayNumber(marker.date);
    if (TIMETABLE_ENDS.has(marker.kind)) {
      spans.push({ from: openFrom ?? scale.firstMonday, to: dayNumber(marker.date) + 1 });
      openFrom = null;
    }
  }
  if (openFrom !== null) spans.push({ from: openFrom, to: lastDay });
  return spans;
};

const LIST_ROW_HEIGHT = 26;

const columnsFor = (count: number): number => (count > 24 ? 3 : 2);

export const eventListHeight = (count: number): number =>
  count === 0 ? 0 : Math.ceil(count / columnsFor(count)) * LIST_ROW_HEIGHT + 30;

/** The key to the badges: number, date and label, in columns, read down then across. */
export const eventList = (placed: readonly PlacedMarker[], top: number): string => {
  if (placed.length === 0) return '';
  const columns = columnsFor(placed.length);
  const perColumn = Math.ceil(placed.length / columns);
  const columnWidth = PLOT_WIDTH / columns;
  const size = LAYOUT.fontSize.body;
  const entries = placed.map((marker, i) => {
    const x = LAYOUT.plotLeft + Math.floor(i / perColumn) * columnWidth;
    const cy = top + 30 + (i % perColumn) * LIST_ROW_HEIGHT + BADGE_RADIUS;
    const date = shortDate(marker.day);
    const labelX = x + 2 * BADGE_RADIUS + 6 + textWidth('30 Sep', size) + 10;
    return element('g', {}, [
      badge(marker, x + BADGE_RADIUS, cy),
      textElement('text', { x: x + 2 * BADGE_RADIUS + 6, y: cy + 5, fill: LAYOUT.mutedInk }, date),
      textElement('text', { x: labelX, y: cy + 5 }, fitText(marker.label, columnWidth - (labelX - x) - 8, size)),
    ]);
  });
  return element('g', { 'font-size': size }, [
    textElement('text', { x: LAYOUT.plotLeft, y: top + 16, 'font-weight': 'bold' }, 'Plan events'),
    ...entries,
  ]);
};
