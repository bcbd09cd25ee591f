import { describe, expect, it } from 'vitest';
import { addYears, type RetentionFacts, retentionEnded } from '../../src/index.ts';

const facts = (overrides: Partial<RetentionFacts> = {}): RetentionFacts => ({
  dateOfBirth: '2010-03-15',
  lastRegisterEntry: '2020-07-17',
  erased: [],
  ...overrides,
});

describe('register-kept-six-years', () => {
  it('given a last register entry on 17 July 2020, when the day before the sixth anniversary comes, then nothing has ended', () => {
    expect(retentionEnded(facts(), '2026-07-16')).toEqual([]);
  });

  it('given a last register entry on 17 July 2020, when the sixth anniversary comes, then the register period has ended', () => {
    expect(retentionEnded(facts(), '2026-07-17')).toEqual([
      {
        retentionClass: 'register',
        rule: 'register-kept-six-years',
        endedOn: '2026-07-17',
        reason: 'Retention period ended on 2026-07-17: 6 years after the last register entry (2020-07-17).',
      },
    ]);
  });

  it('given a pupil never marked, when any day comes, then there is no register period to end', () => {
    expect(retentionEnded(facts({ lastRegisterEntry: null }), '2099-01-01').map((e) => e.retentionClass)).toEqual([
      'records',
    ]);
  });

  it('given register data already erased, when its period has long ended, then it is not listed again', () => {
    expect(retentionEnded(facts({ erased: ['register'] }), '2030-01-01')).toEqual([]);
  });
});

describe('records-kept-to-birth-plus-31', () => {
  it('given a pupil born on 15 March 2010, when 14 March 2041 comes, then the records are still kept', () => {
    expect(retentionEnded(facts({ lastRegisterEntry: null }), '2041-03-14')).toEqual([]);
  });

  it('given a pupil born on 15 March 2010, when 15 March 2041 comes, then the records period has ended', () => {
    expect(retentionEnded(facts({ lastRegisterEntry: null }), '2041-03-15')).toMatchObject([
      { retentionClass: 'records', rule: 'records-kept-to-birth-plus-31', endedOn: '2041-03-15' },
    ]);
  });

  it('given a pupil born on 29 February, when the anniversary falls in a common year, then it ends on 1 March, never before', () => {
    expect(addYears('2008-02-29', 31)).toBe('2039-03-01');
    expect(addYears('2008-02-29', 32)).toBe('2040-02-29');
    expect(retentionEnded(facts({ dateOfBirth: '2008-02-29', lastRegisterEntry: null }), '2039-02-28')).toEqual([]);
  });

  it('given records already erased, when the date of birth reads [erased], then nothing is listed', () => {
    expect(retentionEnded(facts({ dateOfBirth: '[erased]', erased: ['records'] }), '2099-01-01')).toMatchObject([
      { retentionClass: 'register' },
    ]);
  });

  it('given both periods ended, when listed, then register and records are both due, each with its reason', () => {
    const ended = retentionEnded(facts({ dateOfBirth: '1990-01-01', lastRegisterEntry: '2006-07-20' }), '2026-12-04');
    expect(ended.map((e) => [e.retentionClass, e.endedOn])).toEqual([
      ['register', '2012-07-20'],
      ['records', '2021-01-01'],
    ]);
    for (const e of ended) expect(e.reason).toMatch(/^Retention period ended on \d{4}-\d{2}-\d{2}: .+\.$/);
  });
});
