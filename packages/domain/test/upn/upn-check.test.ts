import { describe, expect, it } from 'vitest';
import { checkUpn, createLaCodeRegistry, LA_CODES_ENGLAND, upnCheckLetter } from '../../src/upn/index.ts';

const england = createLaCodeRegistry(LA_CODES_ENGLAND);
const faultCodes = (upn: string) => {
  const check = checkUpn(upn, england);
  return check.ok ? [] : check.faults.map((f) => f.code);
};

describe('upnCheckLetter (docs/domain.md §6 vectors)', () => {
  it.each(['H801200001001', 'B801200005001', 'A950000178301', 'H243278544154', 'G80120000101A'])(
    'given %s, when its check letter is computed, then it equals character 1',
    (upn) => {
      expect(upnCheckLetter(upn)).toBe(upn.charAt(0));
    },
  );

  it.each(['Z801200001001', 'A801200005001', 'R247962919251'])(
    'given %s, when its check letter is computed, then it differs from character 1',
    (upn) => {
      expect(upnCheckLetter(upn)).not.toBe(upn.charAt(0));
    },
  );

  it('given a temporary UPN, when computed, then the letter in position 13 takes its alphabet value', () => {
    // 8·2 + 1·4 + 2·5 + 1·10 + 1·12 + B(1)·13 = 65; 65 mod 23 = 19 → alphabet[19] = W
    expect(upnCheckLetter('W80120000101B')).toBe('W');
  });
});

describe('checkUpn', () => {
  it('given a permanent UPN from Bristol, when checked, then it passes with its LA code', () => {
    expect(checkUpn('H801200001001', england)).toEqual({
      ok: true,
      upn: 'H801200001001',
      laCode: '801',
      isTemporary: false,
    });
  });

  it('given a temporary UPN, when checked, then it passes and is marked temporary', () => {
    expect(checkUpn('G80120000101A', england)).toEqual({
      ok: true,
      upn: 'G80120000101A',
      laCode: '801',
      isTemporary: true,
    });
  });

  it('given lower case and surrounding spaces, when checked, then it passes in canonical form', () => {
    expect(checkUpn(' b801200005001 ', england)).toMatchObject({ ok: true, upn: 'B801200005001' });
  });

  it.each(['Z801200001001', 'A801200005001'])(
    'given %s, when checked, then it fails with the wrong check letter at character 1',
    (upn) => {
      expect(checkUpn(upn, england)).toEqual({
        ok: false,
        faults: [{ code: 'wrong-check-letter', message: 'UPN invalid (wrong check letter at character 1)' }],
      });
    },
  );

  it.each(['A950000178301', 'H243278544154'])(
    'given %s (right check letter, not an English LA), when checked, then characters 2-4 are not a recognised LA code',
    (upn) => {
      expect(checkUpn(upn, england)).toEqual({
        ok: false,
        faults: [{ code: 'unrecognised-la-code', message: 'UPN invalid (characters 2-4 not a recognised LA code)' }],
      });
    },
  );

  it('given R247962919251, when checked, then both the check letter and the LA code are faults, in character order', () => {
    expect(faultCodes('R247962919251')).toEqual(['wrong-check-letter', 'unrecognised-la-code']);
  });

  it('given a letter among characters 5-12, when checked, then they are not all numeric', () => {
    expect(checkUpn('H8012000A1001', england)).toEqual({
      ok: false,
      faults: [{ code: 'not-all-numeric', message: 'UPN invalid (characters 5-12 not all numeric)' }],
    });
  });

  it.each(['H80120000100I', 'H80120000100O', 'H80120000100S', 'H80120000100-'])(
    'given %s, when checked, then character 13 is not a recognised value',
    (upn) => {
      expect(checkUpn(upn, england)).toEqual({
        ok: false,
        faults: [{ code: 'unrecognised-last-character', message: 'UPN invalid (character 13 not a recognised value)' }],
      });
    },
  );

  it('given a check letter outside the alphabet and no computable letter, when checked, then character 1 is a fault too', () => {
    expect(faultCodes('I8012000A1001')).toEqual(['wrong-check-letter', 'not-all-numeric']);
  });

  it.each(['', 'H80120000100', 'H8012000010011'])(
    'given "%s", when checked, then the only fault is the wrong length',
    (upn) => {
      expect(checkUpn(upn, england)).toEqual({
        ok: false,
        faults: [{ code: 'wrong-length', message: 'UPN invalid (must be 13 characters)' }],
      });
    },
  );

  it('given a registry that still holds a retired code, when checked, then a UPN allocated under it passes', () => {
    const withCumbria = createLaCodeRegistry([...LA_CODES_ENGLAND, { code: '909', name: 'Cumbria' }]);
    const upn = `${upnCheckLetter('X909200001001')}909200001001`;
    expect(checkUpn(upn, england).ok).toBe(false);
    expect(checkUpn(upn, withCumbria)).toMatchObject({ ok: true, laCode: '909' });
  });
});
