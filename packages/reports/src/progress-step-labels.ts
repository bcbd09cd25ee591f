import type { TimeScale } from './chart-time-axis.ts';
import type { StepAnxietySeries } from './progress-chart-input.ts';
import { LAYOUT } from './progress-layout.ts';
import type { RatedPoint } from './progress-step-points.ts';
import { element, textElement, textWidth } from './svg-markup.ts';

interface Box {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const overlaps = (a: Box, b: Box): boolean =>
  a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/**
 * "Step n" beside the first point of each line, so a reader needs no legend to tell the curves
 * apart: left of the point if free, else above or below it, and never on top of another label.
 */
export const stepLabels = (
  series: readonly { step: StepAnxietySeries; points: readonly RatedPoint[] }[],
  scale: TimeScale,
  y: (anxiety: number) => number,
): string[] => {
  const size = LAYOUT.fontSize.small;
  const placed: Box[] = [];
  return series.flatMap(({ step, points }) => {
    const first = points[0];
    if (first === undefined) return [];
    const text = `Step ${step.stepNumber}`;
    const width = textWidth(text, size);
    const [pointX, pointY] = [scale.x(first.at), y(first.anxiety)];
    const candidates = [
      ...(pointX - 9 - width >= LAYOUT.plotLeft ? [{ left: pointX - 9 - width, top: pointY - size / 2 - 1 }] : []),
      { left: pointX - width / 2, top: pointY - 12 - size },
      { left: pointX - width / 2, top: pointY + 10 },
      { left: pointX - width / 2, top: pointY - 28 - size },
      { left: pointX - width / 2, top: pointY + 26 },
    ].map(({ left, top }) => {
      const clamped = Math.min(Math.max(left, LAYOUT.plotLeft + 2), LAYOUT.plotRight - width);
      return { left: clamped, right: clamped + width, top, bottom: top + size + 2 };
    });
    const box = candidates.find((c) => !placed.some((p) => overlaps(c, p))) ?? candidates[0]!;
    placed.push(box);
    return [
      element('rect', {
        x: box.left - 2,
        y: box.top - 1,
        width: width + 4,
        height: box.bottom - box.top + 2,
        rx: 3,
        fill: '#ffffff',
        opacity: 0.85,
      }),
      textElement('text', { x: box.left, y: box.bottom - 3, 'font-size': size, 'font-weight': 'bold' }, text),
    ];
  });
};
