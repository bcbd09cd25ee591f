import { randomUUID } from 'node:crypto';
import { etagFor, eventIdFor } from '@small-steps/application';
import {
  AccessReasonHeaders,
  AdmitPupilBody,
  CorrectPupilDetailsBody,
  ErasePupilDataBody,
  Problem,
  Pupil,
  PupilIdParams,
  PupilLeftSchoolBody,
  PupilListQuery,
  PupilPage,
  RegisterPupilBody,
} from '@small-steps/contracts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { readerOf } from '../../auth/reader.ts';
import { READERS, WRITERS } from '../../auth/roles.ts';
import { commandOptions, locationOf, sendCommandResult } from '../../commands/http-command.ts';
import { HttpProblem } from '../../plugins/problems.ts';
import type { Services } from '../../services.ts';
import { sendWithEtag } from '../conditional-get.ts';

const problems = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem, 412: Problem, 422: Problem };
const tags = ['pupils'];

/** Pupils: register, correct, admit, record leaving; read one or a page, within the caller's tenant and school. */
export async function pupilRoutes(app: FastifyInstance, services: Services): Promise<void> {
  const api = app.withTypeProvider<ZodTypeProvider>();
  const { pupils: pupilCommands, pupilReads } = services;

  api.post(
    '/v1/pupils',
    {
      config: { roles: WRITERS },
      schema: {
        tags,
        operationId: 'registerPupil',
        summary: 'Register a pupil on a school roll',
        body: RegisterPupilBody,
        response: { 201: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const options = commandOptions(request);
      const { schoolUrn, admissionDate, ...pupil } = request.body;
      if (options.principal.schoolUrn && options.principal.schoolUrn !== schoolUrn) {
        throw new HttpProblem('forbidden', 'School staff register pupils on their own school roll only.');
      }
      // A retried registration keeps its pupil id, so a retry can never register the pupil twice.
      const pupilId = options.idempotency
        ? eventIdFor(`${options.principal.tenant}\u0000${options.principal.id}\u0000pupils`, options.idempotency.key, 0)
        : randomUUID();
      const result = await pupilCommands.run(
        { type: 'RegisterPupil', data: { pupilId, ...pupil, admission: { schoolUrn, admissionDate } } },
        options,
        201,
      );
      const location = locationOf(result, (id) => `/v1/pupils/${id}`, 'pupilId');
      if (location) reply.header('location', location);
      return sendCommandResult(reply, result);
    },
  );

  api.get(
    '/v1/pupils/:pupilId',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'getPupil',
        summary: 'Read a pupil',
        params: PupilIdParams,
        headers: AccessReasonHeaders,
        response: { 200: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const pupil = await pupilReads.get(readerOf(request), request.params.pupilId);
      if (!pupil) throw new HttpProblem('not-found', `No pupil ${request.params.pupilId} in your records.`);
      return sendWithEtag(request, reply, etagFor(pupil.version), pupil);
    },
  );

  api.get(
    '/v1/pupils',
    {
      config: { roles: READERS },
      schema: {
        tags,
        operationId: 'listPupils',
        summary: 'List pupils, a page at a time',
        querystring: PupilListQuery,
        headers: AccessReasonHeaders,
        response: { 200: PupilPage, ...problems },
      },
    },
    async (request) => {
      const { schoolUrn, limit, cursor, upn, updatedSince } = request.query;
      return pupilReads.list(readerOf(request), {
        limit,
        ...(schoolUrn ? { schoolUrn } : {}),
        ...(upn !== undefined ? { upn } : {}),
        ...(updatedSince ? { updatedSince: new Date(updatedSince) } : {}),
        ...(cursor ? { cursor } : {}),
      });
    },
  );

  api.post(
    '/v1/pupils/:pupilId/erasure',
    {
      config: { roles: ['admin'] },
      schema: {
        tags,
        operationId: 'erasePupilData',
        summary: "Erase the pupil's personal data of a retention class",
        description:
          "For when a retention period has ended (register data 6 years after the record; SEN and plan records the date of birth plus 31 years) or an erasure is ordered: the pupil's key for that class is destroyed and `PupilDataErased` recorded, in one step. Afterwards those fields read `[erased]` everywhere (the pupil, plans, histories); the events, their order and their hashes stay as they were. Administrators only.",
        params: PupilIdParams,
        body: ErasePupilDataBody,
        response: { 200: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const { retentionClass, reason } = request.body;
      const result = await pupilCommands.erase(
        { type: 'ErasePupilData', data: { pupilId: request.params.pupilId, retentionClass, reason } },
        commandOptions(request),
      );
      return sendCommandResult(reply, result);
    },
  );

  api.post(
    '/v1/pupils/:pupilId/corrections',
    {
      config: { roles: WRITERS },
      schema: {
        tags,
        operationId: 'correctPupilDetails',
        summary: 'Correct recorded details, saying why',
        params: PupilIdParams,
        body: CorrectPupilDetailsBody,
        response: { 200: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const { reason, changes } = request.body;
      const result = await pupilCommands.run(
        { type: 'CorrectPupilDetails', data: { pupilId: request.params.pupilId, reason, changes } },
        { ...commandOptions(request), reason },
      );
      return sendCommandResult(reply, result);
    },
  );

  api.post(
    '/v1/pupils/:pupilId/admissions',
    {
      config: { roles: WRITERS },
      schema: {
        tags,
        operationId: 'admitPupil',
        summary: 'Admit the pupil to a school roll',
        params: PupilIdParams,
        body: AdmitPupilBody,
        response: { 200: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const result = await pupilCommands.run(
        { type: 'AdmitPupil', data: { pupilId: request.params.pupilId, ...request.body } },
        commandOptions(request),
      );
      return sendCommandResult(reply, result);
    },
  );

  api.post(
    '/v1/pupils/:pupilId/leavings',
    {
      config: { roles: WRITERS },
      schema: {
        tags,
        operationId: 'recordPupilLeaving',
        summary: 'Record that the pupil left a school roll',
        params: PupilIdParams,
        body: PupilLeftSchoolBody,
        response: { 200: Pupil, ...problems },
      },
    },
    async (request, reply) => {
      const result = await pupilCommands.run(
        { type: 'RecordPupilLeftSchool', data: { pupilId: request.params.pupilId, ...request.body } },
        commandOptions(request),
      );
      return sendCommandResult(reply, result);
    },
  );
}
