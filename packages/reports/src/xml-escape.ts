/** XML 1.0's `Char` production: what any XML document may contain at all. */
const isXmlChar = (codePoint: number): boolean =>
  codePoint === 0x9 ||
  codePoint === 0xa ||
  codePoint === 0xd ||
  (codePoint >= 0x20 && codePoint <= 0xd7ff) ||
  (codePoint >= 0xe000 && codePoint <= 0xfffd) ||
  codePoint >= 0x10000;

/** True when no character needs escaping or replacing: the common case, checked without building a string. */
const isPlain = (text: string): boolean => {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (
      unit < 0x20 ||
      unit >= 0xd800 ||
      unit === 0x22 ||
      unit === 0x26 ||
      unit === 0x27 ||
      unit === 0x3c ||
      unit === 0x3e
    ) {
      return false;
    }
  }
  return true;
};

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Text made safe for XML element content and attribute values. Characters no XML document may
 * contain (most C0 controls, lone surrogates, U+FFFE, U+FFFF) become U+FFFD: escaping cannot make
 * them legal, and one stray control byte in a label would otherwise break the whole picture.
 */
export const escapeXml = (text: string): string => {
  if (isPlain(text)) return text;
  let out = '';
  for (const char of text) {
    out += isXmlChar(char.codePointAt(0)!) ? (ENTITIES[char] ?? char) : '\uFFFD';
  }
  return out;
};
