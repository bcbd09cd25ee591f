import type { AttendanceTrend, TrendMarker } from '@small-steps/domain';
import { legend, legendHeight } from './chart-legend.ts';
import { emptyMessage, type Panel, panelHeading } from './chart-panel.ts';
import { TIME_AXIS_HEIGHT, type TimeScale, timeAxis } from './chart-time-axis.ts';
import { ATTENDANCE_COLOURS, attendanceLegendItems } from './progress-attendance-legend.ts';
import {
  badgeRowsHeight,
  eventList,
  eventListHeight,
  markerOverlay,
  type PlacedMarker,
  timetableSpans,
} from './progress-event-markers.ts';
import { LAYOUT } from './progress-layout.ts';
import { dayNumber, shortDate } from './report-dates.ts';
import { element, px, textElement, textWidth } from './svg-markup.ts';

const PLOT_HEIGHT = 250;
/** Below 90 % a pupil is persistently absent (docs/domain.md §4). */
const PERSISTENT_ABSENCE_LINE = 90;

/**
 * Weekly attendance bars with the rolling 4-week rate, the 90 % line, the plan's events and a key
 * to them. Weeks without marks are gaps, so a holiday never reads as 0 %.
 */
export const attendancePanel = (
  trend: AttendanceTrend,
  markers: readonly TrendMarker[],
  placed: readonly PlacedMarker[],
  scale: TimeScale | null,
  top: number,
): Panel => {
  const heading = panelHeading(
    'Attendance each week',
    'Each bar shows the share of school sessions (mornings and afternoons) the pupil attended that week.',
    top,
  );
  const rated = trend.weeks.filter((w) => w.rate !== null);
  if (scale === null || rated.length === 0) {
    const message = emptyMessage('No attendance has been recorded for this school year yet.', heading.bottom + 8);
    return {
      markup: heading.markup + message.markup + eventList(placed, message.bottom + 8),
      height: message.bottom + 8 + eventListHeight(placed.length) - top,
    };
  }
  const spans = timetableSpans(markers, scale);
  const items = attendanceLegendItems(spans.length > 0);
  const legendTop = heading.bottom + 8;
  const badgesTop = legendTop + legendHeight(items) + 8;
  const plotTop = badgesTop + badgeRowsHeight(placed) + 6;
  const plotBottom = plotTop + PLOT_HEIGHT;
  const y = (rate: number) => plotBottom - (rate / 100) * PLOT_HEIGHT;
  const byMonday = new Map(rated.map((w) => [dayNumber(w.weekStart), w]));
  const schoolDays = (monday: number) => ({ x: scale.x(monday) + 1, width: scale.x(monday + 5) - scale.x(monday) - 2 });

  const gaps = scale.mondays
    .filter((monday) => !byMonday.has(monday))
    .map((monday) =>
      element(
        'rect',
        { ...schoolDays(monday), y: plotTop, height: PLOT_HEIGHT, fill: LAYOUT.gapFill, class: 'no-marks' },
        [textElement('title', {}, `Week of ${shortDate(monday)}: no register marks`)],
      ),
    );
  const bands = spans.map((span) =>
    element('rect', {
      x: scale.x(span.from),
      width: scale.x(span.to) - scale.x(span.from),
      y: plotTop,
      height: PLOT_HEIGHT,
      fill: ATTENDANCE_COLOURS.timetable,
    }),
  );
  const grid = [0, 25, 50, 75, 100].map((rate) =>
    element('g', {}, [
      element('line', { x1: LAYOUT.plotLeft, x2: LAYOUT.plotRight, y1: y(rate), y2: y(rate), stroke: LAYOUT.grid }),
      textElement('text', { x: LAYOUT.plotLeft - 8, y: y(rate) + 5, 'text-anchor': 'end' }, `${rate}%`),
    ]),
  );
  const bars = [...byMonday].map(([monday, week]) => {
    const { x, width } = schoolDays(monday);
    const height = Math.max(2, ((week.rate ?? 0) / 100) * PLOT_HEIGHT);
    return element(
      'rect',
      { x, width, y: plotBottom - height, height, fill: ATTENDANCE_COLOURS.bar, class: 'week-bar' },
      [textElement('title', {}, `Week of ${shortDate(monday)}: ${week.rate}% of ${week.possible} sessions attended`)],
    );
  });
  const values =
    scale.weekWidth < 34
      ? []
      : [...byMonday].map(([monday, week]) => {
          const { x, width } = schoolDays(monday);
          const height = ((week.rate ?? 0) / 100) * PLOT_HEIGHT;
          return barValue(week.rate ?? 0, x + width / 2, height < 24 ? plotBottom - height - 6 : plotBottom - 8);
        });
  const threshold = element('g', {}, [
    element('line', {
      x1: LAYOUT.plotLeft,
      x2: LAYOUT.plotRight,
      y1: y(PERSISTENT_ABSENCE_LINE),
      y2: y(PERSISTENT_ABSENCE_LINE),
      stroke: LAYOUT.ink,
      'stroke-width': 1.5,
      'stroke-dasharray': '8 4',
    }),
    textElement(
      'text',
      { x: LAYOUT.plotLeft - 8, y: y(PERSISTENT_ABSENCE_LINE) + 5, 'text-anchor': 'end', 'font-weight': 'bold' },
      `${PERSISTENT_ABSENCE_LINE}%`,
    ),
  ]);

  const axisLeft = element('g', {}, [
    textElement(
      'text',
      {
        transform: `translate(${px(LAYOUT.plotLeft - 52)} ${px(plotTop + PLOT_HEIGHT / 2)}) rotate(-90)`,
        'text-anchor': 'middle',
        fill: LAYOUT.mutedInk,
      },
      'Sessions attended',
    ),
  ]);
  const axisBottom = timeAxis(
    scale,
    plotBottom,
    `Week starting (Monday), school year ${trend.academicYear} to ${trend.academicYear + 1}`,
  );
  const listTop = plotBottom + TIME_AXIS_HEIGHT + 8;
  const markup = element('g', { 'font-size': LAYOUT.fontSize.body }, [
    heading.markup,
    legend(items, legendTop),
    ...bands,
    ...gaps,
    ...grid,
    ...bars,
    rollingLine(rated, scale, y),
    threshold,
    markerOverlay(placed, scale, badgesTop, plotBottom),
    ...values,
    axisLeft,
    axisBottom,
    eventList(placed, listTop),
  ]);
  return { markup, height: listTop + eventListHeight(placed.length) - top };
};

/** A week's rate on a pale pill, drawn over the event lines so they never strike through it. */
const barValue = (rate: number, x: number, baseline: number): string => {
  const text = `${Math.round(rate)}%`;
  const width = textWidth(text, 12) + 6;
  return element('g', {}, [
    element('rect', { x: x - width / 2, y: baseline - 12, width, height: 16, rx: 3, fill: '#ffffff', opacity: 0.8 }),
    textElement('text', { x, y: baseline, 'text-anchor': 'middle', 'font-size': 12 }, text),
  ]);
};

/** The rolling rate through each week's school days, broken where a week has no marks. */
const rollingLine = (weeks: AttendanceTrend['weeks'], scale: TimeScale, y: (rate: number) => number): string => {
  const runs: string[][] = [];
  let previous: number | null = null;
  const dots: string[] = [];
  for (const week of weeks) {
    if (week.rolling4WeekRate === null) continue;
    const monday = dayNumber(week.weekStart);
    const point = `${px(scale.x(monday + 2.5))},${px(y(week.rolling4WeekRate))}`;
    if (previous === null || monday - previous > 7) runs.push([]);
    runs.at(-1)!.push(point);
    dots.push(
      element('circle', {
        cx: scale.x(monday + 2.5),
        cy: y(week.rolling4WeekRate),
        r: 3.5,
        fill: ATTENDANCE_COLOURS.rolling,
      }),
    );
    previous = monday;
  }
  return element('g', {}, [
    ...runs.map((points) =>
      element('polyline', {
        class: 'rolling-average',
        points: points.join(' '),
        fill: 'none',
        stroke: ATTENDANCE_COLOURS.rolling,
        'stroke-width': 3,
        'stroke-linejoin': 'round',
      }),
    ),
    ...dots,
  ]);
};
