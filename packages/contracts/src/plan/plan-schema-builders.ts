import type { PlanEventType } from '@small-steps/domain';
import { z } from 'zod';
import { isoDate } from '../common/safe-text.ts';
import { occurredOn } from './plan-fields.ts';

type Example = Record<string, unknown>;

/**
 * The stored payload of a plan event, schema version 1: every field the event carries, personal
 * ones marked, and when it happened. A new shape is a new version, never a change to this one.
 */
export const factV1 = <S extends z.ZodRawShape>(type: PlanEventType, shape: S, example: Example) =>
  z.strictObject({ ...shape, occurredOn: isoDate }).meta({
    id: `${type}V1`,
    description: `Payload of \`${type}\`, schema version 1. Fields marked \`x-personal\` are stored in the event's \`personal\` part.`,
    example: { ...example, occurredOn: '2026-09-14' },
  });

/** The body of a plan command: the facts it states, and optionally when it happened (today by default). */
export const commandBody = <S extends z.ZodRawShape>(id: string, shape: S, example: Example, description?: string) =>
  z.strictObject({ ...shape, occurredOn }).meta({ id, example, ...(description ? { description } : {}) });
