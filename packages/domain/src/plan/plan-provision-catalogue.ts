/** Presenting needs as seed 004 (Wiltshire OPAL) words them: provision never waits for a diagnosis. */
export const presentingNeeds = {
  withdrawn_or_isolated: 'Difficulties participating and presenting as withdrawn or isolated',
  behaviours_that_challenge: 'Displaying behaviours that challenge',
  medically_unexplained_symptoms: 'Physical symptoms that are medically unexplained',
  attention_difficulties: 'Attention difficulties',
  difficulty_with_relationships: 'Difficulty in making and maintaining healthy relationships',
  difficulty_accepting_adult_direction: 'Difficulties following and accepting adult direction',
  significantly_unhappy_or_stressed: 'Presenting as significantly unhappy or stressed',
  patterns_of_non_attendance: 'Patterns of non-attendance',
} as const;
export type PresentingNeed = keyof typeof presentingNeeds;

/** Support around the steps that a plan can arrange, listed by the presenting needs it answers. */
export interface ProvisionEntry {
  code: string;
  title: string;
  needs: readonly PresentingNeed[];
}

/** The reference catalogue drawn from seeds 002–004; a tenant extends it with `provisionCatalogue`. */
export const defaultProvisionCatalogue: readonly ProvisionEntry[] = [
  {
    code: 'key_adult_check_in',
    title: 'Daily check-in with the key adult',
    needs: ['withdrawn_or_isolated', 'significantly_unhappy_or_stressed', 'patterns_of_non_attendance'],
  },
  {
    code: 'pre_post_brief',
    title: 'Pre-brief and post-brief with the key adult',
    needs: ['behaviours_that_challenge', 'patterns_of_non_attendance'],
  },
  {
    code: 'safe_space',
    title: 'A safe space or quiet area to go to',
    needs: ['significantly_unhappy_or_stressed', 'patterns_of_non_attendance'],
  },
  {
    code: 'buddy_or_peer_mentor',
    title: 'Buddy or peer mentor',
    needs: ['withdrawn_or_isolated', 'difficulty_with_relationships'],
  },
  {
    code: 'elsa_sessions',
    title: 'ELSA or equivalent sessions with a trusted adult',
    needs: ['withdrawn_or_isolated'],
  },
  {
    code: 'nurture_group',
    title: 'Nurture group or small-group work',
    needs: ['withdrawn_or_isolated', 'difficulty_with_relationships'],
  },
  {
    code: 'movement_or_sensory_breaks',
    title: 'Movement, sensory or regulation breaks',
    needs: ['attention_difficulties', 'significantly_unhappy_or_stressed'],
  },
  {
    code: 'visual_timetable',
    title: 'Visual timetable and visual cues',
    needs: ['difficulty_accepting_adult_direction', 'attention_difficulties'],
  },
  {
    code: 'structured_break_time',
    title: 'Structured break-time provision',
    needs: ['difficulty_with_relationships', 'patterns_of_non_attendance'],
  },
  {
    code: 'backward_chaining',
    title: 'Backward chaining, such as arriving at the end of assembly or the school day',
    needs: ['withdrawn_or_isolated'],
  },
  { code: 'regular_mentoring', title: 'Regular mentoring', needs: ['patterns_of_non_attendance'] },
  {
    code: 'initial_visit_with_trusted_adult',
    title: 'An initial visit with a trusted adult who stays',
    needs: ['patterns_of_non_attendance'],
  },
  {
    code: 'stress_reducing_activities',
    title: 'Stress-reducing activities (games, gardening, outdoor or sensory play)',
    needs: ['medically_unexplained_symptoms'],
  },
];

/** The default catalogue with a tenant's own entries added; an entry with a default's code replaces it. */
export function provisionCatalogue(tenantEntries: readonly ProvisionEntry[] = []): readonly ProvisionEntry[] {
  const codes = new Set(tenantEntries.map((e) => e.code));
  return [...defaultProvisionCatalogue.filter((e) => !codes.has(e.code)), ...tenantEntries];
}

/** The catalogue's entries for one presenting need, in catalogue order. */
export const provisionsFor = (catalogue: readonly ProvisionEntry[], need: PresentingNeed): ProvisionEntry[] =>
  catalogue.filter((e) => e.needs.includes(need));
