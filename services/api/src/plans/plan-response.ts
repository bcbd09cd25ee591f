import type { Plan, PlanCommandResponse } from '@small-steps/contracts';
import type { Advisory, PlanView } from '@small-steps/domain';
import type { z } from 'zod';

/** A plan as read: the domain's view and the stream version (the ETag). */
export const planResource = (view: PlanView, version: number): Plan => ({ ...view, version }) as Plan;

/** A command's answer: the plan after it and the advisories it raised. */
export const planCommandResponse = (
  view: PlanView,
  version: number,
  advisories: readonly Advisory[],
): z.input<typeof PlanCommandResponse> =>
  ({ ...planResource(view, version), advisoriesRaised: [...advisories] }) as z.input<typeof PlanCommandResponse>;
