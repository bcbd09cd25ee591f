import { describe, expect, it } from 'vitest';
import { escapeXml } from '../src/xml-escape.ts';
import { parseXml, textContent } from './xml-tree.ts';

describe('escapeXml', () => {
  it('escapes the five characters XML gives meaning to', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&apos;s&lt;/a&gt;',
    );
  });

  it('treats text that looks like an entity as text', () => {
    expect(escapeXml('&amp; &#60;')).toBe('&amp;amp; &amp;#60;');
  });

  it('replaces characters no XML document may hold and keeps tabs, newlines and emoji', () => {
    expect(escapeXml('a\u0000b\u0007c\td\r\ne\uFFFEf\uD800g\uDC00h😀')).toBe(
      'a\uFFFDb\uFFFDc\td\r\ne\uFFFDf\uFFFDg\uFFFDh😀',
    );
  });

  it('round-trips hostile text through an XML parser unchanged', () => {
    const hostile = `</text><script>alert("x")</script> & 'more' ]]> <!-- -->`;
    const parsed = parseXml(`<t a="${escapeXml(hostile)}">${escapeXml(hostile)}</t>`);
    expect(parsed.attributes.a).toBe(hostile);
    expect(parsed.children).toEqual([]);
    expect(textContent(parsed)).toBe(hostile);
  });
});

describe('parseXml, the well-formedness check the picture tests rely on', () => {
  it.each([
    ['mismatched tags', '<a><b></a></b>'],
    ['a bare ampersand', '<a>Tom & Jerry</a>'],
    ['an unknown entity', '<a>&nbsp;</a>'],
    ['a < in an attribute', '<a x="<"/>'],
    ['a repeated attribute', '<a x="1" x="2"/>'],
    ['two roots', '<a/><b/>'],
    ['an unclosed element', '<a><b/>'],
    ['a control character', '<a>\u0007</a>'],
  ])('rejects %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow(SyntaxError);
  });
});
