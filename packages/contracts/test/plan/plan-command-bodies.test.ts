import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  AgreePartTimeTimetableBody,
  AgreeStepsBody,
  IdentifyBarrierBody,
  OpenPlanBody,
  RecordAttemptBody,
  RecordSafeguardingReferralBody,
  RecordViewBody,
  StartStepBody,
} from '../../src/index.ts';
import * as planContracts from '../../src/plan/index.ts';

type JsonObject = { properties: Record<string, Record<string, unknown>> };

const pointers = (schema: z.ZodType, body: unknown): string[] =>
  (schema.safeParse(body).error?.issues ?? []).map((issue) => issue.path.join('/'));

const bodies = Object.entries(planContracts).flatMap(([name, schema]) =>
  name.endsWith('Body') && schema instanceof z.ZodObject ? [[name, schema] as const] : [],
);

const { example: ladder } = AgreeStepsBody.meta() as { example: { steps: Record<string, unknown>[] } };
const step = ladder.steps[0]!;

describe('plan command bodies', () => {
  it('gives every body an id and an example that it accepts', () => {
    expect(bodies.length).toBe(36);
    for (const [name, schema] of bodies) {
      const meta = schema.meta() as { id?: string; example?: unknown };
      expect(meta.id, name).toBe(name);
      expect(schema.safeParse(meta.example).error?.issues ?? [], name).toEqual([]);
    }
  });

  it('takes occurredOn as optional, leaving how far back or forward it goes to the plan rules', () => {
    expect(StartStepBody.parse({})).toEqual({});
    expect(StartStepBody.parse({ occurredOn: '2026-09-14' })).toEqual({ occurredOn: '2026-09-14' });
    // Refused by the decider (no-future-dates, backdating-within-year) against the command's arrival.
    expect(pointers(StartStepBody, { occurredOn: '2999-01-01' })).toEqual([]);
    expect(pointers(StartStepBody, { occurredOn: '1999-07-31' })).toEqual([]);
  });

  it('refuses dates that are not real dates', () => {
    expect(pointers(StartStepBody, { occurredOn: '2026-02-30' })).toEqual(['occurredOn']);
    expect(pointers(StartStepBody, { occurredOn: '14/09/2026' })).toEqual(['occurredOn']);
    expect(pointers(StartStepBody, { occurredOn: '0205-09-14' })).toEqual(['occurredOn']);
  });

  it('rates anxiety from 0 to 10 and counts minutes above 0', () => {
    const attempt = { outcome: 'completed', anxietyBefore: 11, anxietyAfter: -1, minutes: 0 };
    expect(pointers(RecordAttemptBody, attempt).sort()).toEqual(['anxietyAfter', 'anxietyBefore', 'minutes']);
    expect(RecordAttemptBody.parse({ outcome: 'not_attempted' })).toEqual({
      outcome: 'not_attempted',
      anxietyBefore: null,
      anxietyAfter: null,
      minutes: null,
      extendedBy: null,
      supportsUsed: [],
      pupilWords: null,
    });
  });

  it('agrees at least one step, each with a predicted anxiety of 0 to 10', () => {
    expect(pointers(AgreeStepsBody, { ...ladder, steps: [] })).toEqual(['steps']);
    expect(pointers(AgreeStepsBody, { ...ladder, steps: [{ ...step, predictedAnxiety: 12 }] })).toEqual([
      'steps/0/predictedAnxiety',
    ]);
  });

  it('refuses NUL characters, unpaired surrogates and text over its limit', () => {
    const view = { role: 'pupil', worries: 'a\u0000b', whatHelps: '\ud800', hopes: 'x'.repeat(4001) };
    expect(pointers(RecordViewBody, view).sort()).toEqual(['hopes', 'whatHelps', 'worries']);
  });

  it('refuses fields it does not know, so no concern detail reaches a safeguarding referral', () => {
    const referral = { referredBy: { id: 'person-key-adult', role: 'key_adult' }, concern: 'details' };
    expect(pointers(RecordSafeguardingReferralBody, referral)).toEqual(['']);
  });

  it('leaves the timetable reason, end date and parent agreement for the domain to refuse by its rules', () => {
    const { example } = AgreePartTimeTimetableBody.meta() as { example: Record<string, unknown> };
    const refusedByRules = { ...example, reason: 'behaviour management', endsOn: null, parentAgreement: null };
    expect(pointers(AgreePartTimeTimetableBody, refusedByRules)).toEqual([]);
  });

  it('marks names and free text personal in the OpenAPI schema', () => {
    const properties = (schema: z.ZodType, id: string) =>
      (z.toJSONSchema(schema, { io: 'input' }) as { $defs: Record<string, JsonObject> }).$defs[id]!.properties;
    expect(properties(OpenPlanBody, 'OpenPlanBody').presentingConcern?.['x-personal']).toBe(true);
    const barrier = properties(IdentifyBarrierBody, 'IdentifyBarrierBody');
    expect(barrier.description?.['x-personal']).toBe(true);
    expect(barrier.barrierId?.['x-personal']).toBeUndefined();
  });
});
