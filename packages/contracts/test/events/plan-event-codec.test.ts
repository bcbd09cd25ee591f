import { type PlanEvent, planEventTypes } from '@small-steps/domain';
import { describe, expect, it } from 'vitest';
import { PLAN_EVENT_SCHEMA_VERSION, planEventCodec, UnreadableEventError } from '../../src/index.ts';
import { caseStudyEvents, everyPlanEventType, leaves } from './event-samples.ts';
import { planToday, pupilToday } from './stored-forms-today.ts';

const caseStudy = caseStudyEvents();
const everyType = everyPlanEventType();

describe('plan event codec', () => {
  it('given one example of every plan event type, when encoded and decoded, then each reads back unchanged', () => {
    expect(everyType.map((event) => event.type).sort()).toEqual([...planEventTypes].sort());
    for (const event of everyType) {
      expect(planEventCodec.decode(planEventCodec.encode(event)), event.type).toStrictEqual([event]);
    }
  });

  it("given every event of seed 002's case study, when encoded and decoded, then each reads back as the decider wrote it", () => {
    for (const event of caseStudy) {
      expect(planEventCodec.decode(planEventCodec.encode(event)), event.type).toStrictEqual([event]);
    }
  });

  it('given any plan event, when encoded, then it is stored at the current version byte for byte as the api stores it today', () => {
    for (const event of [...caseStudy, ...everyType]) {
      const stored = planEventCodec.encode(event);
      expect(stored.schemaVersion).toBe(PLAN_EVENT_SCHEMA_VERSION);
      expect(JSON.stringify(stored), event.type).toBe(JSON.stringify(planToday.toStored(event)));
    }
  });

  it("given events stored as the api stores them today, when decoded, then each equals the api's fromStored", () => {
    for (const event of [...caseStudy, ...everyType]) {
      const stored = planToday.toStored(event);
      expect(planEventCodec.decode(stored), event.type).toStrictEqual([planToday.fromStored(stored)]);
    }
  });

  it('given the case study, when encoded, then names and free text are in personal and none of them in data', () => {
    const opened = planEventCodec.encode(caseStudy.find((event) => event.type === 'PlanOpened')!);
    expect(opened.personal).toEqual({
      keyAdult: { name: 'Ms Key' },
      presentingConcern: expect.stringContaining('suspensions'),
    });
    expect(opened.data).not.toHaveProperty('presentingConcern');
    expect(opened.data.keyAdult).toEqual({ id: 'person-key-adult' });

    const stored = caseStudy.map((event) => planEventCodec.encode(event));
    const freeText = stored.flatMap(({ personal }) =>
      leaves(personal).filter((value): value is string => typeof value === 'string' && value.length > 3),
    );
    expect(freeText.length).toBeGreaterThan(30);
    const data = JSON.stringify(stored.map((event) => event.data));
    for (const text of freeText) expect(data).not.toContain(JSON.stringify(text));
  });

  it('given an event its contract refuses, when encoded, then it throws rather than store what cannot be read', () => {
    const opened = caseStudy[0]!;
    const broken = { ...opened, data: { ...opened.data, schoolUrn: 'not a URN' } } as PlanEvent;
    expect(() => planEventCodec.encode(broken)).toThrow(/URN/);
  });

  it('given a plan event at a version newer than current, when decoded, then the error says a newer version wrote it', () => {
    const stored = { ...planEventCodec.encode(caseStudy[0]!), schemaVersion: 2 };
    expect(() => planEventCodec.decode(stored)).toThrow(
      'PlanOpened version 2 was written by a newer version of Small Steps (this one reads up to version 1)',
    );
  });

  it('given a plan event at a version no upcaster reads, when decoded, then the error names its type and version', () => {
    const stored = { ...planEventCodec.encode(caseStudy[0]!), schemaVersion: 0 };
    expect(() => planEventCodec.decode(stored)).toThrow('No upcaster for PlanOpened version 0');
  });

  it('given a pupil event, when decoded as a plan event, then it is an unknown type, named with its version', () => {
    const stored = pupilToday.toStored({
      type: 'PupilAdmitted',
      data: { pupilId: 'p', schoolUrn: '100001', admissionDate: '2025-09-03' },
    });
    const decoding = () => planEventCodec.decode(stored);
    expect(decoding).toThrow('Unknown event type PupilAdmitted (version 1)');
    expect(decoding).toThrow(UnreadableEventError);
  });
});
