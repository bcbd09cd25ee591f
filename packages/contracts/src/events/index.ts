export { attendanceEventCodec, attendanceEventUpcasters } from './attendance-event-codec.ts';
export { upcastAttendanceRecordedV1 } from './attendance-recorded-upcaster.ts';
export type { EventCodec } from './event-codec.ts';
export { planEventCodec, planEventUpcasters } from './plan-event-codec.ts';
export { PUPIL_EVENT_SCHEMA_VERSIONS, pupilEventCodec, pupilEventUpcasters } from './pupil-event-codec.ts';
export type { StoredPayload } from './stored-payload.ts';
export {
  createUpcasterRegistry,
  UnreadableEventError,
  type UnreadableReason,
  type Upcaster,
  type UpcasterRegistration,
  type UpcasterRegistry,
} from './upcaster-registry.ts';
