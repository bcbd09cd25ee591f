import { z } from 'zod';
import { storedDate, storedId, storedList, wholeNumber } from '../common/bounds.ts';
import { isoDateTime, uuid } from '../common/safe-text.ts';

const date = storedDate();
const rate = z
  .number()
  .nullable()
  .meta({ description: 'Percentage to 1 decimal place; null with no possible sessions.' });
const year = z.coerce.number().int().min(2000).max(2100).optional().meta({
  description:
    'Academic year by the calendar year it starts in: 2025 is 1 August 2025 to 31 July 2026. Default: the current one.',
  example: 2025,
});

export const AttendanceTrendQuery = z.strictObject({
  year,
  asRecordedAt: isoDateTime.optional().meta({
    description: 'Count only the marks recorded at or before this instant: the register as it stood then.',
    example: '2026-10-01T12:00:00Z',
  }),
});

export const ProgressPictureQuery = z.strictObject({ year });

const Period = { possible: wholeNumber(), attended: wholeNumber(), rate };

export const AttendanceFigures = z
  .object({
    possible: wholeNumber().meta({ description: 'Possible sessions.' }),
    attended: wholeNumber().meta({ description: 'Present or at an approved educational activity.' }),
    authorisedAbsence: wholeNumber(),
    unauthorisedAbsence: wholeNumber(),
    notCounted: wholeNumber().meta({ description: 'Sessions that are not possible sessions (X, Q, Y1–Y7, D, Z, #).' }),
    partTimeTimetable: wholeNumber().meta({
      description: '`C2` sessions: counted in `possible` and `authorisedAbsence`, shown apart here.',
    }),
    rate,
    overallAbsence: rate,
  })
  .meta({ id: 'AttendanceFigures' });

export const TrendMarker = z.object({ date, kind: storedId(), label: storedId() }).meta({
  id: 'TrendMarker',
  description:
    'A plan event laid over the trend: `plan_opened`, `step_mastered`, `review_held`, `part_time_timetable_started`, `part_time_timetable_ended`.',
});

export const AttendanceTrend = z
  .object({
    pupilId: uuid,
    academicYear: wholeNumber(),
    from: date.meta({ description: 'First day counted: the later of 1 August and admission.' }),
    to: date,
    asRecordedAt: isoDateTime.nullable(),
    totals: AttendanceFigures,
    rateExcludingPartTimeTimetable: rate,
    persistentAbsence: z.boolean().meta({ description: '10 % or more of possible sessions missed.' }),
    severeAbsence: z.boolean().meta({ description: '50 % or more of possible sessions missed.' }),
    weeks: storedList(
      z.object({
        weekStart: date.meta({ description: 'Monday of the ISO week.' }),
        ...Period,
        rolling4WeekRate: rate,
      }),
    ),
    rolling4WeekRate: rate,
    sincePlanOpened: z
      .object({
        openedOn: date,
        before: z.object(Period),
        months: storedList(z.object({ month: storedId().meta({ description: 'YYYY-MM' }), ...Period })),
      })
      .nullable(),
    markers: storedList(TrendMarker),
  })
  .meta({
    id: 'AttendanceTrend',
    description: 'A pupil’s attendance for one academic year, year to date, with the plan laid over it.',
    example: {
      pupilId: '3a1f7c2e-9b4d-4e6f-8a1b-2c3d4e5f6a7b',
      academicYear: 2026,
      from: '2026-09-03',
      to: '2026-09-18',
      asRecordedAt: null,
      totals: {
        possible: 24,
        attended: 15,
        authorisedAbsence: 4,
        unauthorisedAbsence: 5,
        notCounted: 0,
        partTimeTimetable: 0,
        rate: 62.5,
        overallAbsence: 37.5,
      },
      rateExcludingPartTimeTimetable: 62.5,
      persistentAbsence: true,
      severeAbsence: false,
      weeks: [
        { weekStart: '2026-08-31', possible: 4, attended: 3, rate: 75, rolling4WeekRate: 75 },
        { weekStart: '2026-09-07', possible: 10, attended: 5, rate: 50, rolling4WeekRate: 57.1 },
        { weekStart: '2026-09-14', possible: 10, attended: 7, rate: 70, rolling4WeekRate: 62.5 },
      ],
      rolling4WeekRate: 62.5,
      sincePlanOpened: {
        openedOn: '2026-09-14',
        before: { possible: 14, attended: 8, rate: 57.1 },
        months: [{ month: '2026-09', possible: 10, attended: 7, rate: 70 }],
      },
      markers: [{ date: '2026-09-14', kind: 'plan_opened', label: 'Plan opened' }],
    },
  });
export type AttendanceTrend = z.infer<typeof AttendanceTrend>;
