import { type PlanEvent, planEventTypes } from '@small-steps/domain';
import { caseStudy002, historyOf } from '@small-steps/domain/testing';
import { describe, expect, it } from 'vitest';
import { isPersonalFieldName, mergePersonal, planEventSchemas, splitPersonal } from '../../src/index.ts';

// Plans and pupils have UUIDs in the service; the domain's fixtures use readable ids.
const uuids = { planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d11', pupilId: '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c' };
const events: PlanEvent[] = historyOf(
  caseStudy002().map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, ...uuids } } : c)),
);

describe('plan event schemas, version 1', () => {
  it('has a schema for every plan event type', () => {
    expect(Object.keys(planEventSchemas).sort()).toEqual([...planEventTypes].sort());
  });

  it("accepts every event of seed 002's case study as the domain shapes it", () => {
    for (const event of events) {
      const parsed = planEventSchemas[event.type].safeParse(event.data);
      expect(parsed.error?.issues ?? [], event.type).toEqual([]);
    }
  });

  it('gives each schema an example that it accepts', () => {
    for (const [type, schema] of Object.entries(planEventSchemas)) {
      const { example } = schema.meta() as { example: unknown };
      expect(schema.safeParse(example).error?.issues ?? [], type).toEqual([]);
    }
  });

  it('splits names and free text into the personal part and merges them back unchanged', () => {
    for (const event of events) {
      const { data, personal } = splitPersonal(planEventSchemas[event.type], event.data);
      expect(mergePersonal(data, personal), event.type).toEqual(event.data);
    }
  });

  it('keeps ids, codes and dates in data, where they can be read without the personal key', () => {
    const opened = events.find((e) => e.type === 'PlanOpened')!;
    expect(splitPersonal(planEventSchemas.PlanOpened, opened.data)).toEqual({
      data: {
        planId: opened.data.planId,
        pupilId: opened.data.pupilId,
        schoolUrn: opened.data.schoolUrn,
        keyAdult: { id: 'person-key-adult' },
        occurredOn: '2025-09-08',
      },
      personal: { keyAdult: { name: 'Ms Key' }, presentingConcern: opened.data.presentingConcern },
    });
  });

  it('splits a ladder step by step, keeping each step in its place', () => {
    const agreed = events.find((e) => e.type === 'StepsAgreed')!;
    const { data, personal } = splitPersonal(planEventSchemas.StepsAgreed, agreed.data);
    const steps = data.steps as Record<string, unknown>[];
    expect(steps[1]).toEqual({
      stepId: 'step-2',
      minutes: 60,
      timesPerWeek: 5,
      predictedAnxiety: 4,
      dependsOn: ['barrier-1'],
    });
    expect((personal!.steps as Record<string, unknown>[])[1]).toEqual({
      description: 'My favourite lesson in class',
      where: 'school',
      withWhom: 'key adult',
      supports: [],
    });
  });

  it('stores no free text in data for any event of the case study', () => {
    const freeText = events.flatMap((event) => {
      const { personal } = splitPersonal(planEventSchemas[event.type], event.data);
      return leaves(personal).filter((value): value is string => typeof value === 'string' && value.length > 3);
    });
    expect(freeText.length).toBeGreaterThan(30);
    const data = JSON.stringify(events.map((event) => splitPersonal(planEventSchemas[event.type], event.data).data));
    for (const text of freeText) expect(data).not.toContain(JSON.stringify(text));
  });

  it('marks for log redaction every personal field name the domain engineer listed', () => {
    const listed = ['presentingConcern', 'name', 'worries', 'whatHelps', 'hopes', 'concernsAboutPlan', 'summary'];
    const more = ['assessment', 'description', 'situations', 'situation', 'notes', 'strategy', 'details', 'where'];
    const andMore = ['withWhom', 'supports', 'supportsUsed', 'pupilWords', 'pupilVoice', 'parentVoice', 'progress'];
    const last = ['celebrated', 'decisions', 'what', 'extensionReason', 'reason'];
    for (const name of [...listed, ...more, ...andMore, ...last]) expect(isPersonalFieldName(name), name).toBe(true);
  });
});

function leaves(value: unknown): unknown[] {
  if (Array.isArray(value)) return value.flatMap(leaves);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(leaves);
  return [value];
}
