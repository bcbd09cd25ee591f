import { LAYOUT, PLOT_WIDTH } from './progress-layout.ts';
import { element, textElement } from './svg-markup.ts';

/** A panel's markup and how tall it is, so the next one can start below it. */
export interface Panel {
  markup: string;
  height: number;
}

export interface Block {
  markup: string;
  /** The y just below the block. */
  bottom: number;
}

/** A panel's heading and one line saying how to read it. */
export const panelHeading = (title: string, explainer: string, top: number): Block => ({
  markup: element('g', {}, [
    textElement(
      'text',
      { x: LAYOUT.plotLeft, y: top + 18, 'font-size': LAYOUT.fontSize.heading, 'font-weight': 'bold' },
      title,
    ),
    textElement('text', { x: LAYOUT.plotLeft, y: top + 42, fill: LAYOUT.mutedInk }, explainer),
  ]),
  bottom: top + 50,
});

/** A framed sentence standing in for a chart that has nothing to show yet. */
export const emptyMessage = (text: string, top: number): Block => ({
  markup: element('g', {}, [
    element('rect', {
      x: LAYOUT.plotLeft,
      y: top,
      width: PLOT_WIDTH,
      height: 80,
      fill: '#f7f7f7',
      stroke: LAYOUT.grid,
      rx: 6,
    }),
    textElement(
      'text',
      { x: LAYOUT.plotLeft + PLOT_WIDTH / 2, y: top + 46, 'text-anchor': 'middle', 'font-size': 16, fill: LAYOUT.ink },
      text,
    ),
  ]),
  bottom: top + 80,
});
