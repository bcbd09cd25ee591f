/** One measured figure, with its same-run baseline and target where it has them. */
export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  baseline?: string;
  ratio?: number;
  target?: string;
  met?: boolean;
}

export function formatFigures(figures: BenchFigure[]): string {
  const rows = figures.map((f) => [
    f.name,
    `${f.value.toLocaleString('en-GB', { maximumFractionDigits: f.value < 10 ? 2 : 1 })} ${f.unit}`,
    f.ratio === undefined ? '' : formatRatio(f.ratio, f.baseline),
    f.target ? `${f.target} ${f.met ? 'met' : 'MISSED'}` : '',
  ]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]!.length), 0));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

// A ratio far above 1 reads better as a multiple than as thousands of per cent.
const formatRatio = (ratio: number, baseline: string | undefined): string =>
  ratio >= 3 ? `${ratio.toFixed(0)} × ${baseline}` : `${(ratio * 100).toFixed(0)} % of ${baseline}`;
