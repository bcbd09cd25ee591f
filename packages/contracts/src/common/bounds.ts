import { z } from 'zod';

/**
 * The sizes the contract declares for what it answers (OWASP API4: every string, integer and list
 * in the document is bounded, so a client can size its buffers and a scanner finds no open end).
 * Answers describe what is stored, so these are ceilings far above every input limit (the largest
 * free text a command takes is 10,000 characters): raising an input limit never fails a read.
 */
export const INT32_MAX = 2_147_483_647;
/** Longest stored text an answer holds. */
export const STORED_TEXT_MAX = 100_000;
/** Longest id, code or name the service writes (input ids are at most 100 characters). */
export const STORED_ID_MAX = 200;
/** Most items a list inside one record holds (a plan's goals, steps, barriers, marks…). */
export const STORED_LIST_MAX = 10_000;
/** Most items one page holds: the largest `limit` any list accepts is 1,000. */
export const PAGE_MAX = 1000;

/** A whole number from `min` to `max` (the document says int32 or int64 from the bounds). */
export const wholeNumber = (min = 0, max = INT32_MAX) => z.int().min(min).max(max);
/** Text as stored, up to `max` characters. */
export const storedText = (max = STORED_TEXT_MAX) => z.string().max(max);
/** An id, code or short name as stored. */
export const storedId = () => z.string().max(STORED_ID_MAX);
/** A list inside one record, up to `max` items. */
export const storedList = <T extends z.ZodType>(item: T, max = STORED_LIST_MAX) => z.array(item).max(max);
/** A date as stored: `YYYY-MM-DD`. */
export const storedDate = () => z.string().max(10).meta({ description: 'YYYY-MM-DD' });
/** An instant as stored: ISO 8601 with its offset. */
export const storedInstant = () => z.string().max(40);
