import { LAYOUT, PLOT_WIDTH } from './progress-layout.ts';
import { element, px, textElement, textWidth } from './svg-markup.ts';

/** A legend entry: a sample drawn in a 28 × 16 box at the origin, and the words it stands for. */
export interface LegendItem {
  sample: string;
  text: string;
}

const SAMPLE_WIDTH = 28;
const ROW_HEIGHT = 24;
const GAP = 28;

const layout = (items: readonly LegendItem[]) => {
  let x = 0;
  let row = 0;
  return items.map((item) => {
    const width = SAMPLE_WIDTH + 8 + textWidth(item.text, LAYOUT.fontSize.body);
    if (x > 0 && x + width > PLOT_WIDTH) {
      x = 0;
      row++;
    }
    const at = { item, x, row };
    x += width + GAP;
    return at;
  });
};

export const legendHeight = (items: readonly LegendItem[]): number =>
  items.length === 0 ? 0 : (Math.max(...layout(items).map((at) => at.row)) + 1) * ROW_HEIGHT;

/** Items flowed left to right, wrapping onto more rows when the plot width runs out. */
export const legend = (items: readonly LegendItem[], top: number): string =>
  element(
    'g',
    { 'font-size': LAYOUT.fontSize.body },
    layout(items).map(({ item, x, row }) => {
      const left = LAYOUT.plotLeft + x;
      const y = top + row * ROW_HEIGHT;
      return element('g', {}, [
        element('g', { transform: `translate(${px(left)} ${px(y)})` }, [item.sample]),
        textElement('text', { x: left + SAMPLE_WIDTH + 8, y: y + 13 }, item.text),
      ]);
    }),
  );
