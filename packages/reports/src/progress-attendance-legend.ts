import type { LegendItem } from './chart-legend.ts';
import { LAYOUT, OKABE_ITO } from './progress-layout.ts';
import { element } from './svg-markup.ts';

export const ATTENDANCE_COLOURS = {
  bar: OKABE_ITO.skyBlue,
  rolling: OKABE_ITO.vermillion,
  timetable: '#fbe3cf',
} as const;

/** The key above the attendance chart; the part-time timetable entry only when one is drawn. */
export const attendanceLegendItems = (hasTimetable: boolean): LegendItem[] => [
  {
    sample: element('rect', { x: 6, y: 0, width: 16, height: 16, fill: ATTENDANCE_COLOURS.bar }),
    text: 'Attended that week',
  },
  {
    sample: element('g', {}, [
      element('line', { x1: 0, x2: 28, y1: 8, y2: 8, stroke: ATTENDANCE_COLOURS.rolling, 'stroke-width': 3 }),
      element('circle', { cx: 14, cy: 8, r: 3.5, fill: ATTENDANCE_COLOURS.rolling }),
    ]),
    text: 'Average of the last 4 weeks',
  },
  {
    sample: element('line', {
      x1: 0,
      x2: 28,
      y1: 8,
      y2: 8,
      stroke: LAYOUT.ink,
      'stroke-width': 1.5,
      'stroke-dasharray': '8 4',
    }),
    text: '90%: below this line counts as persistent absence',
  },
  {
    sample: element('rect', { x: 6, y: 0, width: 16, height: 16, fill: LAYOUT.gapFill, stroke: LAYOUT.grid }),
    text: 'No register marks (e.g. holiday)',
  },
  ...(hasTimetable
    ? [
        {
          sample: element('rect', { x: 0, y: 0, width: 28, height: 16, fill: ATTENDANCE_COLOURS.timetable }),
          text: 'Part-time timetable: agreed time out of school still counts as absence, so bars are lower',
        },
      ]
    : []),
];
