import type { z } from 'zod';

const personalFieldNames = new Set<string>(['authorization', 'cookie']);

/**
 * Marks a field as personal data (names, dates of birth, UPNs, free text): it is shown as
 * `x-personal` in OpenAPI, travels in the event's `personal` part (to be encrypted per pupil),
 * and is redacted from every log line by its field name.
 */
export function personal<T extends z.ZodType>(fieldName: string, schema: T): T {
  personalFieldNames.add(fieldName);
  return schema.meta({ 'x-personal': true }) as T;
}

/** Field names registered as personal; logs redact them wherever they appear. */
export const isPersonalFieldName = (name: string): boolean => personalFieldNames.has(name);
