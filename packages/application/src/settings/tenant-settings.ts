import { readFileSync } from 'node:fs';
import { isoDate, laCode, safeText, schoolUrn } from '@small-steps/contracts';
import {
  defaultPlanPolicy,
  defaultSchoolCalendar,
  type PlanContext,
  type PlanPolicy,
  planPolicy,
  presentingNeeds,
  provisionCatalogue,
  type SchoolCalendar,
  schoolCalendar,
} from '@small-steps/domain';
import { z } from 'zod';

const count = (min: number, max: number) => z.number().int().min(min).max(max);

const Policy = z
  .strictObject({
    stepTooLargeGap: count(0, 10),
    masteryAttempts: count(1, 20),
    masteryMaxAnxietyAfter: count(0, 10),
    maxReviewIntervalSchoolWeeks: count(1, 52),
    maxReviewIntervalWeeksDuringPtt: count(1, 52),
    pttMaxWeeks: count(1, 52),
    caseloadAlerts: z
      .strictObject({
        noFamilyContactDays: count(1, 365),
        currentStepIdleSchoolDays: count(1, 195),
        stepStalledAttempts: count(1, 100),
        stepStalledWeeks: count(1, 52),
        anxietyNotFallingAttempts: count(2, 100),
        timetableEndingWithinDays: count(0, 365),
        masteredStepIdleSchoolDays: count(1, 195),
        barrierBlockingSchoolDays: count(1, 195),
        gatheringWeeks: count(1, 52),
        attendanceDropPoints: count(1, 100),
        attendanceDropWeeks: count(1, 52),
      })
      .partial(),
  })
  .partial();

const Term = z
  .strictObject({ start: isoDate, end: isoDate })
  .refine((term) => term.end >= term.start, { message: 'ends before it starts', path: ['end'] });
const termDates = z.array(Term).max(50);

const ProvisionEntry = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, { message: 'must be lower snake case, up to 64 characters' }),
  title: safeText(200),
  needs: z.array(z.enum(Object.keys(presentingNeeds) as [keyof typeof presentingNeeds])).min(1),
});

const TenantSettings = z.strictObject({
  policy: Policy.optional(),
  termDates: termDates.optional(),
  schools: z.record(schoolUrn, z.strictObject({ termDates })).optional(),
  provisionCatalogue: z.array(ProvisionEntry).max(200).optional(),
});

/**
 * The optional tenant settings file (`TENANT_SETTINGS_FILE`): per LA code, policy values over the
 * defaults, term dates (overridable per school URN) and provision catalogue entries.
 */
export const TenantSettingsFile = z.strictObject({ tenants: z.record(laCode, TenantSettings) });
export type TenantSettingsFile = z.infer<typeof TenantSettingsFile>;

/** Reads and validates the file: its settings, or one line per problem for the configuration error. */
export function readTenantSettingsFile(
  path: string | undefined,
): { settings: TenantSettingsFile } | { problems: string[] } {
  if (path === undefined) return { settings: { tenants: {} } };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return {
      problems: [`TENANT_SETTINGS_FILE cannot be read (${(error as NodeJS.ErrnoException).code ?? error}): ${path}`],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { problems: [`TENANT_SETTINGS_FILE is not valid JSON: ${(error as Error).message}`] };
  }
  const parsed = TenantSettingsFile.safeParse(json);
  if (parsed.success) return { settings: parsed.data };
  return {
    problems: parsed.error.issues.map(
      (issue) => `TENANT_SETTINGS_FILE ${issue.path.join('.') || '(top level)'} ${messageOf(issue)}`,
    ),
  };
}

/** A record key's issue says only "Invalid key in record"; the key's own issue says why. */
const messageOf = (issue: z.core.$ZodIssue): string =>
  issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;

/** The plan context of each tenant and school: defaults where the settings file says nothing. */
export interface PlanContexts {
  policyFor(tenant: string): PlanPolicy;
  /** The tenant's policy and catalogue with the school's calendar (the tenant's when the school has none). */
  contextFor(tenant: string, schoolUrn: string | null): PlanContext;
}

export function planContexts(file: TenantSettingsFile): PlanContexts {
  const defaults = {
    policy: defaultPlanPolicy,
    calendar: defaultSchoolCalendar(),
    provisionCatalogue: provisionCatalogue(),
  };
  const tenants = new Map(
    Object.entries(file.tenants).map(([tenant, settings]) => {
      const calendar = settings.termDates ? schoolCalendar(settings.termDates) : defaults.calendar;
      const schools = new Map<string, SchoolCalendar>(
        Object.entries(settings.schools ?? {}).map(([urn, school]) => [urn, schoolCalendar(school.termDates)]),
      );
      const context: PlanContext = {
        policy: planPolicy(settings.policy),
        calendar,
        provisionCatalogue: provisionCatalogue(settings.provisionCatalogue),
      };
      return [tenant, { context, schools }] as const;
    }),
  );
  return {
    policyFor: (tenant) => tenants.get(tenant)?.context.policy ?? defaults.policy,
    contextFor(tenant, schoolUrn) {
      const settings = tenants.get(tenant);
      if (settings === undefined) return defaults;
      const school = schoolUrn === null ? undefined : settings.schools.get(schoolUrn);
      return school === undefined ? settings.context : { ...settings.context, calendar: school };
    },
  };
}
