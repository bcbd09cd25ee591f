import {
  AccessReasonHeaders,
  AttendanceMarksRecorded,
  AttendanceTrend,
  AttendanceTrendQuery,
  MAX_MARKS_PER_REQUEST,
  Problem,
  ProgressPictureQuery,
  PupilIdParams,
  RecordAttendanceMarksBody,
} from '@small-steps/contracts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { progressPicture } from '../../attendance/progress-picture.ts';
import { readerOf } from '../../auth/reader.ts';
import { READERS, WRITERS } from '../../auth/roles.ts';
import { commandOptions, sendCommandResult } from '../../commands/http-command.ts';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';

const problems = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  413: Problem,
  422: Problem,
};
const tags = ['attendance'];

const notFound = (pupilId: string) => new HttpProblem('not-found', `No pupil ${pupilId} in your records.`);

// Counted before validation, so an oversized upload is a 413 at once rather than 10,001 rows checked.
async function refuseTooManyMarks(request: FastifyRequest): Promise<void> {
  const marks = (request.body as { marks?: unknown } | null)?.marks;
  if (Array.isArray(marks) && marks.length > MAX_MARKS_PER_REQUEST) {
    throw new HttpProblem(
      'payload-too-large',
      `An upload carries at most ${MAX_MARKS_PER_REQUEST.toLocaleString('en-GB')} marks; this one has ${marks.length.toLocaleString('en-GB')}. Send it in parts: each part is recorded on its own.`,
    );
  }
}

/** Register marks in bulk, a pupil's attendance trend and the progress picture for a review. */
export async function attendanceRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { attendance: attendanceCommands, attendanceTrends } = services;

  api.post(
    '/v1/attendance/marks',
    {
      config: { roles: WRITERS },
      bodyLimit: services.config.limits.bulkBodyBytes,
      preValidation: refuseTooManyMarks,
      schema: {
        tags,
        operationId: 'recordAttendanceMarks',
        summary: "Record a school's register marks",
        description: [
          `Up to ${MAX_MARKS_PER_REQUEST.toLocaleString('en-GB')} marks for one school, for one or more days; the body limit is BULK_BODY_LIMIT_BYTES (413 beyond it or beyond the count).`,
          'All or nothing: if any row is refused, nothing is recorded and the 422 lists every bad row in `errors` (`/body/marks/17/code`, with the rule in `code`).',
          'A row identical to the mark in force changes nothing, so re-sending a register is harmless; a different code for a marked session is a correction and needs a `reason` (on the row or the request).',
          'School staff mark their own school only; each pupil must be on that school’s roll, and none may have had their records or register data erased (`records-erased`). `Idempotency-Key` is honoured; `If-Match` is not (an upload spans many records).',
        ].join(' '),
        body: RecordAttendanceMarksBody,
        response: { 200: AttendanceMarksRecorded, ...problems },
      },
    },
    async (request, reply) => {
      const options = commandOptions(request);
      if (options.ifMatch !== undefined) {
        throw new HttpProblem(
          'validation',
          'If-Match is not accepted here: an upload changes many pupils’ registers.',
          {
            errors: [
              { pointer: '/headers/if-match', detail: 'is not accepted on bulk uploads', code: 'invalid_header' },
            ],
          },
        );
      }
      return sendCommandResult(reply, await attendanceCommands.record(request.body, options));
    },
  );

  api.get(
    '/v1/pupils/:pupilId/attendance',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'getAttendanceTrend',
        summary: "A pupil's attendance trend for an academic year",
        description:
          'Year to date from the later of 1 August and admission: totals by code group, persistent (≥ 10 % missed) and severe (≥ 50 %) absence, weekly and rolling 4-week rates, C2 apart, and the plan’s events laid over it. `asRecordedAt` gives the figures as the register stood at that instant.',
        params: PupilIdParams,
        querystring: AttendanceTrendQuery,
        headers: AccessReasonHeaders,
        response: { 200: AttendanceTrend, ...problems },
      },
    },
    async (request) => {
      const found = await attendanceTrends.forPupil(readerOf(request), request.params.pupilId, request.query);
      if (found === undefined) throw notFound(request.params.pupilId);
      return found.trend;
    },
  );

  api.get(
    '/v1/pupils/:pupilId/progress.svg',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'getProgressPicture',
        summary: "A pupil's progress picture (SVG) for a review",
        description:
          'An `image/svg+xml` picture: the weekly attendance rate with the plan’s events marked, and each step’s anxiety after each attempt. It names no one (the subtitle gives the year group).',
        params: PupilIdParams,
        querystring: ProgressPictureQuery,
        headers: AccessReasonHeaders,
        response: {
          200: {
            description: 'The picture.',
            content: {
              'image/svg+xml': { schema: z.string().max(10_000_000).meta({ description: 'An SVG document.' }) },
            },
          },
          ...problems,
        },
      },
    },
    async (request, reply) => {
      const found = await attendanceTrends.forPupil(readerOf(request), request.params.pupilId, request.query);
      if (found === undefined) throw notFound(request.params.pupilId);
      return reply
        .type('image/svg+xml; charset=utf-8')
        .header('cache-control', 'private, no-store')
        .send(progressPicture(found));
    },
  );
}
