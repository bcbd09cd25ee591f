import { NC_YEAR_GROUPS, planOutcomes, SEN_NEEDS, SUPPRESSED } from '@small-steps/domain';
import { z } from 'zod';
import { storedId, storedList, wholeNumber } from '../common/bounds.ts';
import { isoDate, schoolUrn } from '../common/safe-text.ts';

const PLAN_STATUSES = ['gathering', 'active', 'paused', 'closed'] as const;

/** A published count: a whole number, or `c` where it is hidden (`small-number-suppression`). */
export const AnalyticsCount = z.union([wholeNumber(), z.literal(SUPPRESSED)]).meta({
  id: 'AnalyticsCount',
  description: 'A count of pupils, or `c` where it is fewer than 5 or would give such a count away by subtraction.',
});

/** A figure drawn from counts: `c` where the counts behind it are hidden, null where there is nothing to count. */
const AnalyticsFigure = z.union([z.number(), z.literal(SUPPRESSED), z.null()]);

const filters = {
  schoolUrn: schoolUrn.optional().meta({ description: 'Only this school (by its URN).', example: '100001' }),
  yearGroup: z
    .enum(NC_YEAR_GROUPS)
    .optional()
    .meta({ description: "Only pupils of this year group (the pupil's record now)." }),
};

export const AnalyticsPlansQuery = z.strictObject({
  by: z
    .enum(['school', 'yearGroup', 'senNeed'])
    .default('school')
    .meta({ description: "What each row is: a school's URN, a year group, or the pupil's primary SEN need." }),
  ...filters,
  senNeed: z.enum(SEN_NEEDS).optional().meta({ description: 'Only pupils whose primary SEN need is this.' }),
});

export const AnalyticsAttendanceQuery = z.strictObject({
  by: z
    .enum(['school', 'yearGroup'])
    .default('school')
    .meta({ description: "What each row is: a school's URN or a year group." }),
  ...filters,
  academicYear: z.coerce.number().int().min(2000).max(2100).optional().meta({
    description: 'Academic year, named by the calendar year it starts in. Default: the latest with marks.',
    example: 2026,
  }),
  from: isoDate.optional().meta({ description: 'Only weeks starting on or after this date.', example: '2026-09-07' }),
  to: isoDate.optional().meta({ description: 'Only weeks starting on or before this date.', example: '2026-12-14' }),
});

const group = storedId().meta({
  description: 'The row: a school URN, a year group, a SEN need, or `total` for the whole table.',
});

const statusCounts = z.object(
  Object.fromEntries(PLAN_STATUSES.map((s) => [s, AnalyticsCount])) as Record<
    (typeof PLAN_STATUSES)[number],
    typeof AnalyticsCount
  >,
);
const PlansByStatusRow = z.object({ group, counts: statusCounts, total: AnalyticsCount });

export const AnalyticsPlans = z
  .object({
    by: z.enum(['school', 'yearGroup', 'senNeed']),
    rows: storedList(PlansByStatusRow),
    totals: PlansByStatusRow,
  })
  .meta({
    id: 'AnalyticsPlans',
    description: 'Plans by status, per school, year group or primary SEN need.',
    example: {
      by: 'school',
      rows: [
        { group: '100001', counts: { gathering: 'c', active: 12, paused: 'c', closed: 7 }, total: 23 },
        { group: '100002', counts: { gathering: 'c', active: 6, paused: 0, closed: 'c' }, total: 9 },
      ],
      totals: { group: 'total', counts: { gathering: 5, active: 18, paused: 'c', closed: 'c' }, total: 32 },
    },
  });

const outcomeCounts = z.object({
  ...(Object.fromEntries(planOutcomes.map((o) => [o, AnalyticsCount])) as Record<
    (typeof planOutcomes)[number],
    typeof AnalyticsCount
  >),
  total: AnalyticsCount,
});
const PlanOutcomesRow = z.object({
  group,
  closed: outcomeCounts.meta({ description: 'Plans closed, by their outcome at closing.' }),
  plansWithMasteredStep: AnalyticsCount,
  medianWeeksToFirstMasteredStep: AnalyticsFigure.meta({
    description:
      'Median weeks from opening to the first step mastered, of the plans with one; `c` when they are hidden.',
  }),
  attendanceRose: AnalyticsCount.meta({
    description: 'Plans whose pupil’s attendance rose 10 points or more within 12 weeks of opening.',
  }),
  attendanceDidNotRise: AnalyticsCount,
  attendanceRoseShare: AnalyticsFigure.meta({
    description:
      'Percentage of the plans where it is known (rose or did not) whose attendance rose, to 1 decimal place.',
  }),
});

const YEAR_8_OUTCOMES = {
  closed: {
    returned_full_time: 6,
    partial_return: 'c',
    moved_school: 'c',
    alternative_provision: 0,
    elective_home_education: 0,
    other: 0,
    total: 9,
  },
  plansWithMasteredStep: 14,
  medianWeeksToFirstMasteredStep: 5.5,
  attendanceRose: 8,
  attendanceDidNotRise: 5,
  attendanceRoseShare: 61.5,
};

export const AnalyticsPlanOutcomes = z
  .object({
    by: z.enum(['school', 'yearGroup', 'senNeed']),
    rows: storedList(PlanOutcomesRow),
    totals: PlanOutcomesRow,
  })
  .meta({
    id: 'AnalyticsPlanOutcomes',
    description: 'Outcomes at closing, time to first mastery and attendance after opening.',
    // One year group: its row and the totals hold the same figures.
    example: {
      by: 'yearGroup',
      rows: [{ group: '8', ...YEAR_8_OUTCOMES }],
      totals: { group: 'total', ...YEAR_8_OUTCOMES },
    },
  });

const AttendanceWeekRow = z.object({
  weekStart: isoDate,
  group,
  pupils: AnalyticsCount,
  rate: AnalyticsFigure.meta({
    description: 'Sessions attended of those possible in the week, per cent to 1 decimal place.',
  }),
  persistentAbsence: AnalyticsCount.meta({
    description: 'Pupils who had missed 10 % or more of the year to the week’s end.',
  }),
  severeAbsence: AnalyticsCount.meta({
    description: 'Pupils who had missed 50 % or more of the year to the week’s end.',
  }),
});

export const AnalyticsAttendance = z
  .object({
    by: z.enum(['school', 'yearGroup']),
    academicYear: wholeNumber().nullable(),
    rows: storedList(AttendanceWeekRow),
  })
  .meta({
    id: 'AnalyticsAttendance',
    description: 'Attendance, persistent and severe absence, week by week.',
    example: {
      by: 'school',
      academicYear: 2026,
      rows: [
        {
          weekStart: '2026-09-07',
          group: '100001',
          pupils: 412,
          rate: 93.8,
          persistentAbsence: 61,
          severeAbsence: 'c',
        },
        { weekStart: '2026-09-07', group: 'total', pupils: 655, rate: 94.1, persistentAbsence: 90, severeAbsence: 6 },
      ],
    },
  });

export type AnalyticsPlansQuery = z.infer<typeof AnalyticsPlansQuery>;
export type AnalyticsAttendanceQuery = z.infer<typeof AnalyticsAttendanceQuery>;
