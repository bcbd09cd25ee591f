import { describe, expect, it } from 'vitest';
import {
  type AgreePartTimeTimetable,
  evolvePlan,
  initialState,
  type PlanCommand,
  planDecider,
  planView,
} from '../../src/plan/index.ts';
import {
  activeCommands,
  agreedBy,
  command,
  gatheringCommands,
  historyOf,
  people,
  testContext,
} from '../../src/testing/index.ts';
import { specification } from '../given-when-then.ts';

const spec = specification(planDecider, testContext());
const given = (commands: PlanCommand[]) => spec.given(...historyOf(commands));

const agree = (data: Partial<AgreePartTimeTimetable['data']> = {}, on = '2025-09-12') =>
  command(
    'AgreePartTimeTimetable',
    {
      startsOn: '2025-09-15',
      endsOn: '2025-11-07',
      reason: 'reintegration',
      hoursPerWeek: [10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5],
      participants: agreedBy,
      parentAgreement: { parentId: people.parent.id, agreedOn: '2025-09-12' },
      extensionReason: null,
      ...data,
    },
    on,
  );
const end = (on: string) => command('EndPartTimeTimetable', { reason: 'Back full time.' }, on);

describe('ptt-time-limited', () => {
  it('refuses a timetable without an end date', () => {
    given(activeCommands())
      .when(agree({ endsOn: null }))
      .thenRejected('ptt-time-limited');
  });

  it('refuses an end more than 8 weeks after the start', () => {
    given(activeCommands())
      .when(agree({ endsOn: '2025-11-11' }))
      .thenRejected('ptt-time-limited');
  });

  it('accepts an end exactly 8 weeks after the start', () => {
    given(activeCommands())
      .when(agree({ endsOn: '2025-11-10' }))
      .thenAccepted();
  });

  it('refuses an end before the start', () => {
    given(activeCommands())
      .when(agree({ endsOn: '2025-09-14' }))
      .thenRejected('ptt-time-limited');
  });

  it('refuses an extension that gives no reason, and accepts one that does', () => {
    const extension = { startsOn: '2025-11-10', endsOn: '2025-11-21' };
    given([...activeCommands(), agree()])
      .when(agree(extension, '2025-11-05'))
      .thenRejected('ptt-time-limited');
    given([...activeCommands(), agree()])
      .when(agree({ ...extension, extensionReason: 'Two more weeks to settle after half term.' }, '2025-11-05'))
      .thenAccepted();
  });

  it('needs no extension reason once an extended timetable has ended', () => {
    const extended = agree(
      { startsOn: '2025-11-03', endsOn: '2025-11-14', extensionReason: 'Settling.' },
      '2025-10-31',
    );
    given([...activeCommands(), agree(), extended, end('2025-11-14')])
      .when(agree({ startsOn: '2026-01-05', endsOn: '2026-01-30' }, '2025-12-19'))
      .thenAccepted();
  });

  it('needs no extension reason once the last timetable ended', () => {
    given([...activeCommands(), agree(), end('2025-10-03')])
      .when(agree({ startsOn: '2025-11-10', endsOn: '2025-11-21' }))
      .thenAccepted();
  });

  it("follows the tenant's policy", () => {
    given(activeCommands())
      .when(agree({ endsOn: '2025-10-15' }), { policy: { ...testContext().policy, pttMaxWeeks: 4 } })
      .thenRejected('ptt-time-limited');
  });
});

describe('ptt-not-for-behaviour', () => {
  it('refuses a timetable to manage behaviour', () => {
    given(activeCommands())
      .when(agree({ reason: 'behaviour' }))
      .thenRejected('ptt-not-for-behaviour');
  });

  it('refuses any reason other than reintegration or medical', () => {
    given(activeCommands())
      .when(agree({ reason: 'staffing' }))
      .thenRejected('ptt-not-for-behaviour');
  });

  it('accepts a reintegration after suspensions, and a medical reason', () => {
    given(activeCommands())
      .when(agree({ reason: 'reintegration' }))
      .thenAccepted();
    given(activeCommands())
      .when(agree({ reason: 'medical' }))
      .thenAccepted();
  });
});

describe('ptt-parent-agreed', () => {
  it("refuses a timetable without the parent's agreement", () => {
    given(activeCommands())
      .when(agree({ parentAgreement: null }))
      .thenRejected('ptt-parent-agreed');
  });

  it('refuses an agreement from someone who is not a parent taking part', () => {
    given(activeCommands())
      .when(agree({ parentAgreement: { parentId: people.senco.id, agreedOn: '2025-09-12' } }))
      .thenRejected('ptt-parent-agreed');
  });

  it("accepts the parent's recorded agreement", () => {
    const [agreed] = given(activeCommands()).when(agree()).thenAccepted();
    expect(agreed).toMatchObject({
      type: 'PartTimeTimetableAgreed',
      data: { parentAgreement: { parentId: people.parent.id, agreedOn: '2025-09-12' }, reason: 'reintegration' },
    });
  });
});

describe('AgreePartTimeTimetable', () => {
  it('refuses a timetable agreed without the pupil', () => {
    given(activeCommands())
      .when(agree({ participants: agreedBy.filter((p) => p.role !== 'pupil') }))
      .thenRejected('agreement-needs-pupil');
  });

  it('is refused while the plan is still gathering', () => {
    given(gatheringCommands()).when(agree()).thenRejected('plan-status');
  });

  it('brings the next review forward to 2 weeks after the start', () => {
    const [agreed] = given(activeCommands()).when(agree()).thenAccepted();
    expect(agreed).toMatchObject({ data: { reviewDueBy: '2025-09-29' } });
  });
});

describe('time on reduced timetables', () => {
  const viewOf = (commands: PlanCommand[]) =>
    planView(historyOf(commands).reduce(evolvePlan, initialState()), testContext().policy);

  it('adds each agreement to its end, the day it ended, or the day before its extension started', () => {
    const extended = agree(
      { startsOn: '2025-11-03', endsOn: '2025-11-14', extensionReason: 'Settling.' },
      '2025-10-31',
    );
    const view = viewOf([...activeCommands(), agree(), extended, end('2025-11-07')]);
    // 15 September to 2 November, then 3 to 7 November.
    expect(view?.partTimeTimetable.totalDays).toBe(49 + 5);
    expect(view?.partTimeTimetable.inForce).toBeNull();
  });

  it('ends a timetable still in force when the plan closes', () => {
    const close = command(
      'ClosePlan',
      { outcome: 'moved_school', summary: 'Moved away.', followUpOn: null },
      '2025-10-01',
    );
    const events = given([...activeCommands(), agree()])
      .when(close)
      .thenAccepted();
    expect(events.map((e) => e.type)).toEqual(['PartTimeTimetableEnded', 'PlanClosed']);
  });

  it('treats ending a timetable that is not in force as a repeat', () => {
    given(activeCommands()).when(end('2025-10-01')).thenEmits([]);
  });
});
