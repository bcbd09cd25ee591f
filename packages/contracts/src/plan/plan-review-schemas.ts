import { z } from 'zod';
import { isoDate } from '../common/safe-text.ts';
import { ContactChannel, ObservationTag, Participant, personalText, timeOfDay } from './plan-fields.ts';
import { commandBody, factV1 } from './plan-schema-builders.ts';

const voice = (name: string) => personalText(name, 8000).nullable();

const review = {
  attendees: z.array(Participant).min(1).max(50),
  pupilViewGathered: z.boolean().meta({ description: "The pupil's view was gathered when they did not attend." }),
  parentConsulted: z.boolean().meta({ description: 'A parent or carer was consulted when none attended.' }),
  pupilVoice: voice('pupilVoice'),
  parentVoice: voice('parentVoice'),
  progress: personalText('progress', 8000),
  celebrated: voice('celebrated'),
  decisions: personalText('decisions', 8000),
  nextReviewOn: isoDate.meta({
    description: 'Within 6 school weeks (policy), 2 weeks while a part-time timetable runs.',
  }),
};
const reviewExample = {
  attendees: [
    { id: 'person-pupil', role: 'pupil' },
    { id: 'person-parent', role: 'parent_carer', name: 'Ms Reid' },
    { id: 'person-senco', role: 'senco', name: 'Mrs Okafor' },
  ],
  pupilViewGathered: false,
  parentConsulted: false,
  pupilVoice: 'I like knowing what’s happening next.',
  parentVoice: 'We feel included in decisions now.',
  progress: 'Settled mornings in the resource base.',
  celebrated: 'A whole art lesson in class.',
  decisions: 'Start step 2 on Monday.',
  nextReviewOn: '2026-10-09',
};
export const ReviewHeldV1 = factV1('ReviewHeld', review, reviewExample);
export const HoldReviewBody = commandBody(
  'HoldReviewBody',
  {
    ...review,
    pupilViewGathered: review.pupilViewGathered.default(false),
    parentConsulted: review.parentConsulted.default(false),
    pupilVoice: review.pupilVoice.default(null),
    parentVoice: review.parentVoice.default(null),
    celebrated: review.celebrated.default(null),
  },
  reviewExample,
);

const celebration = { what: personalText('what', 4000) };
const celebrationExample = { what: 'Stayed for the whole art lesson.' };
export const AchievementCelebratedV1 = factV1('AchievementCelebrated', celebration, celebrationExample);
export const CelebrateAchievementBody = commandBody('CelebrateAchievementBody', celebration, celebrationExample);

const contact = {
  channel: ContactChannel,
  by: Participant.meta({ description: 'Who made the contact: keep it consistent.' }),
  summary: personalText('summary', 8000).nullable(),
};
const contactExample = {
  channel: 'phone',
  by: { id: 'person-key-adult', role: 'key_adult', name: 'Ms Patel' },
  summary: 'Weekly update: a good week.',
};
export const FamilyContactRecordedV1 = factV1('FamilyContactRecorded', contact, contactExample);
export const RecordFamilyContactBody = commandBody(
  'RecordFamilyContactBody',
  { ...contact, summary: contact.summary.default(null) },
  contactExample,
);

const observation = {
  what: personalText('what', 4000),
  tags: z.array(ObservationTag).max(10),
  time: timeOfDay.nullable().meta({ description: '`HH:MM` when known, for patterns by time of day.' }),
};
const observationExample = { what: 'Unsettled after lunch.', tags: ['trigger', 'time_of_day'], time: '13:15' };
export const ObservationLoggedV1 = factV1('ObservationLogged', observation, observationExample);
export const LogObservationBody = commandBody(
  'LogObservationBody',
  { ...observation, tags: observation.tags.default([]), time: observation.time.default(null) },
  observationExample,
);

const referral = { referredBy: Participant };
const referralExample = { referredBy: { id: 'person-key-adult', role: 'key_adult', name: 'Ms Patel' } };
export const SafeguardingReferralMadeV1 = factV1('SafeguardingReferralMade', referral, referralExample);
export const RecordSafeguardingReferralBody = commandBody(
  'RecordSafeguardingReferralBody',
  referral,
  referralExample,
  "That a concern was passed to the school's designated safeguarding lead. Never the concern itself: that belongs in the safeguarding record.",
);
