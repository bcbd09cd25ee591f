import type { PlanCommandResponse } from '@small-steps/contracts';
import type { Advisory, PlanView } from '@small-steps/domain';
import { planResource } from '@small-steps/projections';
import type { z } from 'zod';

/** A command's answer: the plan after it and the advisories it raised. */
export const planCommandResponse = (
  view: PlanView,
  version: number,
  advisories: readonly Advisory[],
): z.input<typeof PlanCommandResponse> =>
  ({ ...planResource(view, version), advisoriesRaised: [...advisories] }) as z.input<typeof PlanCommandResponse>;
