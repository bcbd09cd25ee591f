import { OKABE_ITO } from './progress-layout.ts';
import { element, px } from './svg-markup.ts';

/** How one step's line is drawn: colour, point shape and dash all vary, so no reader relies on colour alone. */
export interface SeriesStyle {
  colour: string;
  shape: Shape;
  dash: string | undefined;
}

type Shape = 'circle' | 'square' | 'triangle' | 'diamond' | 'triangle-down' | 'plus';

/** Okabe–Ito without yellow, which is too faint as a thin line on white. */
const COLOURS = [
  OKABE_ITO.blue,
  OKABE_ITO.vermillion,
  OKABE_ITO.bluishGreen,
  OKABE_ITO.reddishPurple,
  OKABE_ITO.orange,
  OKABE_ITO.skyBlue,
  OKABE_ITO.black,
] as const;
const SHAPES: readonly Shape[] = ['circle', 'square', 'triangle', 'diamond', 'triangle-down', 'plus'];
const DASHES = [undefined, '7 4', '2 3'] as const;

/** The i-th series' style; 7 colours against 6 shapes means no two of the first 42 series look alike. */
export const seriesStyle = (i: number): SeriesStyle => ({
  colour: COLOURS[i % COLOURS.length]!,
  shape: SHAPES[i % SHAPES.length]!,
  dash: DASHES[Math.floor(i / COLOURS.length) % DASHES.length],
});

const polygon = (points: readonly (readonly [number, number])[], fill: string): string =>
  element('polygon', {
    points: points.map(([x, y]) => `${px(x)},${px(y)}`).join(' '),
    fill,
    stroke: '#ffffff',
    'stroke-width': 1,
  });

/** A point marker of about 10 px centred on (x, y), with a white edge so overlapping points stay apart. */
export const pointMarker = (style: SeriesStyle, x: number, y: number): string => {
  const r = 5;
  switch (style.shape) {
    case 'circle':
      return element('circle', { cx: x, cy: y, r: r - 0.5, fill: style.colour, stroke: '#ffffff', 'stroke-width': 1 });
    case 'square':
      return element('rect', {
        x: x - r + 1,
        y: y - r + 1,
        width: 2 * r - 2,
        height: 2 * r - 2,
        fill: style.colour,
        stroke: '#ffffff',
        'stroke-width': 1,
      });
    case 'triangle':
      return polygon(
        [
          [x, y - r - 1],
          [x + r + 0.5, y + r - 1],
          [x - r - 0.5, y + r - 1],
        ],
        style.colour,
      );
    case 'triangle-down':
      return polygon(
        [
          [x, y + r + 1],
          [x + r + 0.5, y - r + 1],
          [x - r - 0.5, y - r + 1],
        ],
        style.colour,
      );
    case 'diamond':
      return polygon(
        [
          [x, y - r - 1],
          [x + r + 1, y],
          [x, y + r + 1],
          [x - r - 1, y],
        ],
        style.colour,
      );
    case 'plus': {
      const t = 1.8;
      return polygon(
        [
          [x - t, y - r],
          [x + t, y - r],
          [x + t, y - t],
          [x + r, y - t],
          [x + r, y + t],
          [x + t, y + t],
          [x + t, y + r],
          [x - t, y + r],
          [x - t, y + t],
          [x - r, y + t],
          [x - r, y - t],
          [x - t, y - t],
        ],
        style.colour,
      );
    }
    default: {
      const unknown: never = style.shape;
      throw new Error(`unknown shape ${unknown}`);
    }
  }
};
