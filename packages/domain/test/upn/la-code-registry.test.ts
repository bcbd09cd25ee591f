import { describe, expect, it } from 'vitest';
import { createLaCodeRegistry, LA_CODES_ENGLAND } from '../../src/upn/index.ts';

describe('createLaCodeRegistry', () => {
  it('given the English list, when asked about Bristol, then it knows the code and its name', () => {
    const england = createLaCodeRegistry(LA_CODES_ENGLAND);
    expect(england.has('801')).toBe(true);
    expect(england.name('801')).toBe('Bristol, City of');
  });

  it('given the English list, when asked about codes retired by reorganisation, then it does not hold them', () => {
    const england = createLaCodeRegistry(LA_CODES_ENGLAND);
    for (const retired of ['835', '836', '837', '909', '928']) expect(england.has(retired)).toBe(false);
    for (const successor of ['838', '839', '940', '941', '942', '943']) expect(england.has(successor)).toBe(true);
  });

  it('given the English list, when counted, then it holds 153 distinct authorities', () => {
    expect(createLaCodeRegistry(LA_CODES_ENGLAND).entries).toHaveLength(153);
  });

  it('given a code the list does not hold, when its name is asked, then it is undefined', () => {
    expect(createLaCodeRegistry(LA_CODES_ENGLAND).name('950')).toBeUndefined();
  });

  it('given another list, when loaded, then the registry answers from it alone', () => {
    const merged = createLaCodeRegistry([{ code: '999', name: 'Example Unitary' }]);
    expect(merged.has('999')).toBe(true);
    expect(merged.has('801')).toBe(false);
  });

  it('given a malformed or repeated code, when loaded, then it throws', () => {
    expect(() => createLaCodeRegistry([{ code: '80', name: 'Short' }])).toThrow(RangeError);
    expect(() =>
      createLaCodeRegistry([
        { code: '801', name: 'Bristol' },
        { code: '801', name: 'Bristol again' },
      ]),
    ).toThrow(RangeError);
  });
});
