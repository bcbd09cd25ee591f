import { describe, expect, it } from 'vitest';
import { mayRecord, type Principal, ROLES } from '../../src/index.ts';

const as = (role: Principal['role']): Principal => ({ id: `${role}-1`, role, tenant: '801' });

describe('who may record facts', () => {
  it('given an auditor, when they send a command, then it is refused: auditors only read', () => {
    expect(mayRecord(as('auditor'))).toBe(false);
  });

  it('given an analyst, when they send a command, then it is refused: analysts see figures only', () => {
    expect(mayRecord(as('analyst'))).toBe(false);
  });

  it('given any other role, when they send a command, then the role alone does not refuse it', () => {
    const recorders = ROLES.filter((role) => role !== 'auditor' && role !== 'analyst');
    expect(recorders.map((role) => mayRecord(as(role)))).toEqual(recorders.map(() => true));
  });
});
