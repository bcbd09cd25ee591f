import { describe, expect, it } from 'vitest';
import { pupilEventCodec } from '../../src/index.ts';
import { pupilEvents } from './event-samples.ts';
import { pupilToday } from './stored-forms-today.ts';

const events = pupilEvents();

describe('pupil event codec', () => {
  it('given a registration, a correction, a leaving and an admission, then the sample holds every pupil event type', () => {
    expect(events.map((event) => event.type)).toEqual([
      'PupilRegistered',
      'PupilAdmitted',
      'PupilDetailsCorrected',
      'PupilLeftSchool',
      'PupilAdmitted',
    ]);
  });

  it('given every pupil event of the sample, when encoded and decoded, then each reads back as the decider wrote it', () => {
    for (const event of events) {
      expect(pupilEventCodec.decode(pupilEventCodec.encode(event)), event.type).toStrictEqual([event]);
    }
  });

  it('given any pupil event, when encoded, then it is stored at version 1 byte for byte as the api stores it today', () => {
    for (const event of events) {
      const stored = pupilEventCodec.encode(event);
      expect(stored.schemaVersion).toBe(1);
      expect(JSON.stringify(stored), event.type).toBe(JSON.stringify(pupilToday.toStored(event)));
    }
  });

  it("given events stored as the api stores them today, when decoded, then each equals the api's fromStored", () => {
    // The api's fromStored sets `personal: undefined` on events without personal data; the codec leaves it out.
    for (const event of events) {
      const stored = pupilToday.toStored(event);
      expect(pupilEventCodec.decode(stored), event.type).toEqual([pupilToday.fromStored(stored)]);
    }
  });

  it('given a registration and a correction, when encoded, then name, birth date, UPN and reason are in personal, not data', () => {
    const [registered, admitted, corrected] = events.map((event) => pupilEventCodec.encode(event));
    expect(registered!.personal).toEqual({
      givenName: 'Alex',
      familyName: 'Example',
      dateOfBirth: '2014-03-02',
      upn: expect.any(String),
    });
    expect(Object.keys(registered!.data).sort()).toEqual(['needs', 'pupilId', 'senProvision', 'yearGroup']);
    expect(corrected!.personal).toEqual({
      reason: 'Family name misspelt on the admission form.',
      familyName: 'Exemple',
    });
    expect(corrected!.data).toEqual({ pupilId: expect.any(String), yearGroup: '7' });
    expect(admitted!.personal).toBeNull();
  });

  it('given a pupil event at a version newer than current, when decoded, then the error says a newer version wrote it', () => {
    const stored = { ...pupilEventCodec.encode(events[0]!), schemaVersion: 3 };
    expect(() => pupilEventCodec.decode(stored)).toThrow(
      'PupilRegistered version 3 was written by a newer version of Small Steps',
    );
  });
});
