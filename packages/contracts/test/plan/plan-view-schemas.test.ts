import { type PlanView as DomainPlanView, evolvePlan, initialState, planPolicy, planView } from '@small-steps/domain';
import { caseStudy002, historyOf, recordAttempt } from '@small-steps/domain/testing';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { Plan, PlanView } from '../../src/index.ts';

const uuids = { planId: '0b7e6f0e-3c1e-4c56-9a43-5a0f3f1c2d11', pupilId: '5d2c1a4e-8f0b-4d1e-9c7a-2b3e4f5a6b7c' };

const viewAfter = (commandCount: number): DomainPlanView => {
  const commands = caseStudy002()
    .slice(0, commandCount)
    .map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, ...uuids } } : c));
  return planView(historyOf(commands).reduce(evolvePlan, initialState()), planPolicy())!;
};

// The domain's view must be assignable to what the schema describes (the domain types a closure's outcome as a string).
type Described = Omit<z.input<typeof PlanView>, 'closure'>;
const conforms = (view: DomainPlanView): Described & Pick<DomainPlanView, 'closure'> => view;

describe('the plan view schema', () => {
  it("describes the domain's view whole, at every point of the case study", () => {
    for (const count of [1, 12, 20, 30, 45, caseStudy002().length]) {
      const view = conforms(viewAfter(count));
      const parsed = PlanView.safeParse(view);
      expect(parsed.error?.issues ?? [], `after ${count} commands`).toEqual([]);
      expect(parsed.data, `after ${count} commands`).toEqual(view);
    }
  });

  it('describes advisories and stretched attempts as the view carries them', () => {
    const commands = caseStudy002().slice(0, 26);
    const stretched = recordAttempt(1, { minutes: 90, extendedBy: 'adult' }, '2025-09-18');
    const opened = commands.map((c) => (c.type === 'OpenPlan' ? { ...c, data: { ...c.data, ...uuids } } : c));
    const view = planView(historyOf([...opened, stretched]).reduce(evolvePlan, initialState()), planPolicy())!;
    expect(view.advisories.map((a) => a.rule)).toContain('agreed-step-stretched');
    expect(PlanView.parse(view)).toEqual(view);
  });

  it('adds the version to the plan as read', () => {
    const view = viewAfter(5);
    expect(Plan.parse({ ...view, version: 5 })).toEqual({ ...view, version: 5 });
  });
});
