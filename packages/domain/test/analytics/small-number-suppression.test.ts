import { describe, expect, it } from 'vitest';
import {
  type Cell,
  SUPPRESSED as c,
  type SuppressedTable,
  suppressJointly,
  suppressSmallCounts,
} from '../../src/analytics/index.ts';

/** The published table as rows of cells with their totals, the column totals and the grand total last. */
const publish = (counts: number[][]): Cell[][] => {
  const table = suppressSmallCounts(counts);
  return [...table.cells.map((row, r) => [...row, table.rowTotals[r]!]), [...table.columnTotals, table.total]];
};

/** No line (a row with its total, a column with its total) hides exactly one entry. */
const noLoneHiddenEntry = (published: Cell[][]) => {
  const columns = (published[0] ?? []).map((_, col) => published.map((row) => row[col]!));
  for (const line of [...published, ...columns]) expect(line.filter((cell) => cell === c).length).not.toBe(1);
};

describe('small-number-suppression', () => {
  it('given counts of 5 or more everywhere, when published, then every cell and total is shown', () => {
    expect(
      publish([
        [5, 12],
        [7, 30],
      ]),
    ).toEqual([
      [5, 12, 17],
      [7, 30, 37],
      [12, 42, 54],
    ]);
  });

  it('given a count of 4, when published, then it is c and so is the next smallest count in its row and column', () => {
    expect(
      publish([
        [4, 20, 9],
        [8, 15, 30],
        [6, 11, 12],
      ]),
    ).toEqual([
      [c, 20, c, 33],
      [8, 15, 30, 53],
      [c, 11, c, 29],
      [18, 46, 51, 115],
    ]);
  });

  it('given a count that hides one entry of a total, when published, then nothing can be worked out by subtraction', () => {
    const published = publish([
      [3, 40, 41],
      [25, 26, 27],
      [50, 6, 60],
    ]);
    noLoneHiddenEntry(published);
    expect(published[0]![0]).toBe(c);
    // The total of every row and column stays shown: only cells had to go.
    expect(published.map((row) => row.at(-1))).toEqual([84, 78, 116, 278]);
  });

  it('given secondary suppression that leaves another line with one hidden entry, when published, then it goes on until stable', () => {
    // Hiding the 1 hides the 6 beside it (its row), which leaves column 2 with one hidden entry: its
    // next smallest (the 7) goes too, and then row 2 needs another, and so on.
    const published = publish([
      [1, 6, 50],
      [20, 7, 30],
      [40, 9, 35],
    ]);
    noLoneHiddenEntry(published);
    expect(published[0]!.slice(0, 2)).toEqual([c, c]);
    expect(published.flat().filter((cell) => cell === c).length).toBeGreaterThanOrEqual(4);
  });

  it('given a row totalling fewer than 5, when published, then its total and cells are c, and the row beneath that would give them away', () => {
    expect(
      publish([
        [2, 1],
        [10, 10],
      ]),
    ).toEqual([
      [c, c, c],
      [c, c, c],
      [12, 11, 23],
    ]);
  });

  it('given a single column, when published, then the small count and the next smallest are c and the total is shown', () => {
    expect(publish([[2], [9], [30], [6]])).toEqual([
      [c, c],
      [9, 9],
      [30, 30],
      [c, c],
      [47, 47],
    ]);
  });

  it('given zero, when published, then it is c like any count under 5', () => {
    expect(
      publish([
        [0, 10],
        [10, 10],
      ])[0]![0],
    ).toBe(c);
  });

  it('given no rows, when published, then the table is empty with a hidden total of nothing', () => {
    expect(suppressSmallCounts([])).toEqual({ cells: [], rowTotals: [], columnTotals: [], total: c });
  });

  it('given a count that is not a whole number, when published, then it is refused', () => {
    expect(() => suppressSmallCounts([[1.5]])).toThrow(RangeError);
    expect(() => suppressSmallCounts([[1], [2, 3]])).toThrow(RangeError);
  });

  it('given a table of plans where one pupil has two, when published, then a cell is hidden by its pupils, not its plans', () => {
    // Closed and active plans at three schools, each plan a pupil of its own but at school A, where
    // one pupil's plan was closed and a second opened and closed: 5 closed plans of 4 pupils.
    const plans = [
      [5, 20],
      [6, 30],
      [8, 40],
    ];
    const table = suppressSmallCounts(plans, {
      cells: [
        [4, 20],
        [6, 30],
        [8, 40],
      ],
      rowTotals: [24, 36, 48],
      columnTotals: [18, 90],
      total: 108,
    });
    expect(table.cells).toEqual([
      [c, c],
      [c, c],
      [8, 40],
    ]);
    expect(table.rowTotals).toEqual([25, 36, 48]);
    expect(table.columnTotals).toEqual([19, 90]);
    expect(table.total).toBe(109);
    // Counted as plans alone, the 5 would have shown, and nothing else would have gone.
    expect(suppressSmallCounts(plans).cells).toEqual(plans);
  });

  it('refuses pupils behind a count that cannot stand for them', () => {
    const margins = { rowTotals: [3], columnTotals: [3], total: 3 };
    expect(() => suppressSmallCounts([[3]], { cells: [[4]], ...margins })).toThrow(RangeError);
    expect(() => suppressSmallCounts([[3]], { cells: [[0]], ...margins })).toThrow(RangeError);
  });

  describe('tables published together', () => {
    const asRows = (table: SuppressedTable): Cell[][] => [
      ...table.cells.map((row, r) => [...row, table.rowTotals[r]!]),
      [...table.columnTotals, table.total],
    ];
    // Plans by status at two schools (open, closed), and the closed ones by outcome (returned, other):
    // each school's closed plans are a cell of the first table and a row total of the second.
    const byStatus = [
      [2, 7],
      [30, 12],
    ];
    const closedByOutcome = [
      [5, 2],
      [6, 6],
    ];
    const closedOfSchool = (row: number) =>
      [
        { table: 0, row, column: 1 },
        { table: 1, row, column: 'total' },
      ] as const;

    it('given a count shown in two tables, when it is hidden in one, then it is hidden in the other too', () => {
      // Alone, the outcomes table shows each school's 7 and 12 closed plans, which the status table
      // hides to protect the 2: 9 − 7 would give the 2 away.
      expect(suppressSmallCounts(closedByOutcome).rowTotals).toEqual([7, 12]);
      const [status, outcomes] = suppressJointly(
        [{ counts: byStatus }, { counts: closedByOutcome }],
        [
          closedOfSchool(0),
          closedOfSchool(1),
          [
            { table: 0, row: 'total', column: 1 },
            { table: 1, row: 'total', column: 'total' },
          ],
        ],
      );
      expect(asRows(status!)).toEqual([
        [c, c, 9],
        [c, c, 42],
        [32, 19, 51],
      ]);
      expect(asRows(outcomes!)).toEqual([
        [c, c, c],
        [c, c, c],
        [11, 8, 19],
      ]);
      for (const table of [status!, outcomes!]) noLoneHiddenEntry(asRows(table));
    });

    it('given no shared counts, when published together, then each table is as it is alone', () => {
      const [status, outcomes] = suppressJointly([{ counts: byStatus }, { counts: closedByOutcome }], []);
      expect(status).toEqual(suppressSmallCounts(byStatus));
      expect(outcomes).toEqual(suppressSmallCounts(closedByOutcome));
    });

    it('refuses to share entries whose counts differ, or that a table does not have', () => {
      const tables = [{ counts: byStatus }, { counts: closedByOutcome }];
      expect(() =>
        suppressJointly(tables, [
          [
            { table: 0, row: 0, column: 0 },
            { table: 1, row: 0, column: 'total' },
          ],
        ]),
      ).toThrow(RangeError);
      expect(() =>
        suppressJointly(tables, [
          [
            { table: 0, row: 3, column: 0 },
            { table: 1, row: 0, column: 0 },
          ],
        ]),
      ).toThrow(RangeError);
      expect(() =>
        suppressJointly(tables, [
          [
            { table: 2, row: 0, column: 0 },
            { table: 1, row: 0, column: 0 },
          ],
        ]),
      ).toThrow(RangeError);
    });
  });
});
