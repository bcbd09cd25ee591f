/** What a hidden count reads as, the convention of official statistics in England. */
export const SUPPRESSED = 'c';
export type Suppressed = typeof SUPPRESSED;
export type Cell = number | Suppressed;

/** The smallest count of pupils a published cell may show (`small-number-suppression`). */
export const MIN_PUBLISHED_COUNT = 5;

/** A table of counts as published: its cells, each row's total, each column's total and the grand total. */
export interface SuppressedTable {
  cells: Cell[][];
  rowTotals: Cell[];
  columnTotals: Cell[];
  total: Cell;
}

/**
 * How many distinct pupils stand behind each count of a table and of its margins, where that is not
 * the count itself: a table of plans counts a pupil with two plans twice, and a row's pupils are
 * not the sum of its cells' when a pupil's plans fall in two of them.
 */
export interface PupilsBehind {
  cells: readonly (readonly number[])[];
  rowTotals: readonly number[];
  columnTotals: readonly number[];
  total: number;
}

/**
 * Rule `small-number-suppression` (docs/domain.md §3): every count standing for fewer than
 * {@link MIN_PUBLISHED_COUNT} pupils, totals included, is shown as `c` (primary suppression); the
 * counts are the pupils themselves unless `pupils` says who stands behind each (a table of plans).
 * Each row, with its total, and each column, with its total, adds up; a line in which exactly one
 * entry is hidden would give it away by subtraction, so the smallest entry still shown in that line
 * is hidden too (secondary suppression), and this goes on until no line has exactly one hidden
 * entry. A zero is hidden like any small count: "none of the 3 pupils" says as much as "all 3".
 */
export function suppressSmallCounts(counts: readonly (readonly number[])[], pupils?: PupilsBehind): SuppressedTable {
  return suppressJointly([{ counts, ...(pupils === undefined ? {} : { pupils }) }], [])[0]!;
}

/** A table to publish: its counts, and who stands behind them where that is not the counts themselves. */
export interface CountsTable {
  counts: readonly (readonly number[])[];
  pupils?: PupilsBehind;
}

/** An entry of one of the tables published together: a cell, a row's total, a column's total or the grand total. */
export interface TableEntry {
  table: number;
  row: number | 'total';
  column: number | 'total';
}

/**
 * Rule `small-number-suppression` over tables published side by side that show some counts twice
 * (the closed plans of a school as a status and as the total of its outcomes): each table is
 * suppressed as {@link suppressSmallCounts} does, and an entry hidden in one table is hidden where
 * the other shows the same count, which may call for more secondary suppression in that table, and
 * so on until nothing changes. Otherwise a count hidden in one table could be read off the other,
 * and what it hid worked out by subtraction.
 */
export function suppressJointly(
  tables: readonly CountsTable[],
  shared: readonly (readonly [TableEntry, TableEntry])[],
): SuppressedTable[] {
  const grids = tables.map(({ counts, pupils }) => gridOf(counts, pupils));
  const at = ({ table, row, column }: TableEntry): [Grid, number, number] => {
    const grid = grids[table];
    if (grid === undefined) throw new RangeError(`There is no table ${table}.`);
    const r = row === 'total' ? grid.rows : row;
    const c = column === 'total' ? grid.columns : column;
    if (r > grid.rows || c > grid.columns) throw new RangeError(`Table ${table} has no entry ${row}, ${column}.`);
    return [grid, r, c];
  };
  for (const [one, other] of shared) {
    const [a, ar, ac] = at(one);
    const [b, br, bc] = at(other);
    if (a.counts[ar]![ac] !== b.counts[br]![bc]) {
      throw new RangeError(`Entries shown as one count differ: ${a.counts[ar]![ac]} and ${b.counts[br]![bc]}.`);
    }
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const grid of grids) hideUntilStable(grid);
    for (const [one, other] of shared) {
      const [a, ar, ac] = at(one);
      const [b, br, bc] = at(other);
      if (a.hidden[ar]![ac] !== b.hidden[br]![bc]) {
        a.hidden[ar]![ac] = true;
        b.hidden[br]![bc] = true;
        changed = true;
      }
    }
  }
  return grids.map(published);
}

/** A table with its margins: row `rows` holds the column totals, column `columns` the row totals. */
interface Grid {
  rows: number;
  columns: number;
  counts: number[][];
  hidden: boolean[][];
}

function gridOf(counts: readonly (readonly number[])[], pupils?: PupilsBehind): Grid {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  for (const row of counts) {
    if (row.length !== columns) throw new RangeError('Every row of a table must have as many cells as the first.');
    for (const count of row) {
      if (!Number.isInteger(count) || count < 0) throw new RangeError(`A count must be a whole number, not ${count}.`);
    }
  }
  // The table with its margins: row `rows` holds the column totals, column `columns` the row totals.
  const grid = Array.from({ length: rows + 1 }, (_, r) =>
    Array.from({ length: columns + 1 }, (_, c) => {
      if (r < rows && c < columns) return counts[r]![c]!;
      if (r < rows) return counts[r]!.reduce((a, b) => a + b, 0);
      if (c < columns) return counts.reduce((a, row) => a + row[c]!, 0);
      return counts.reduce((a, row) => a + row.reduce((x, y) => x + y, 0), 0);
    }),
  );
  const pupilsAt = (r: number, c: number): number => {
    if (pupils === undefined) return grid[r]![c]!;
    if (r < rows && c < columns) return pupils.cells[r]![c]!;
    if (r < rows) return pupils.rowTotals[r]!;
    if (c < columns) return pupils.columnTotals[c]!;
    return pupils.total;
  };
  for (const [r, line] of grid.entries()) {
    for (const c of line.keys()) {
      const behind = pupilsAt(r, c);
      if (!Number.isInteger(behind) || behind < 0 || behind > grid[r]![c]! || (behind === 0) !== (grid[r]![c] === 0)) {
        throw new RangeError(`${grid[r]![c]} counted cannot stand for ${behind} pupils.`);
      }
    }
  }
  return {
    rows,
    columns,
    counts: grid,
    hidden: grid.map((line, r) => line.map((_, c) => pupilsAt(r, c) < MIN_PUBLISHED_COUNT)),
  };
}

/** Secondary suppression: while a line has exactly one hidden entry, hide the smallest one it still shows. */
function hideUntilStable({ counts: grid, hidden }: Grid): void {
  const lines: [number, number][][] = [
    ...grid.map((line, r) => line.map((_, c): [number, number] => [r, c])),
    ...(grid[0] ?? []).map((_, c) => grid.map((_, r): [number, number] => [r, c])),
  ];
  for (let changed = true; changed; ) {
    changed = false;
    for (const line of lines) {
      const shown = line.filter(([r, c]) => !hidden[r]![c]);
      if (line.length - shown.length !== 1 || shown.length === 0) continue;
      // Smallest first; among equals, a cell before a total, then the first in the line.
      const [r, c] = shown.reduce((best, entry) =>
        grid[entry[0]]![entry[1]]! < grid[best[0]]![best[1]]! ? entry : best,
      );
      hidden[r]![c] = true;
      changed = true;
    }
  }
}

function published({ rows, columns, counts: grid, hidden }: Grid): SuppressedTable {
  const cells = grid.map((line, r) => line.map((count, c): Cell => (hidden[r]![c] ? SUPPRESSED : count)));
  return {
    cells: cells.slice(0, rows).map((line) => line.slice(0, columns)),
    rowTotals: cells.slice(0, rows).map((line) => line[columns]!),
    columnTotals: cells[rows]!.slice(0, columns),
    total: cells[rows]![columns]!,
  };
}
