import { escapeXml } from './xml-escape.ts';

export type Attributes = Record<string, string | number | undefined>;

/** A coordinate or length to 0.1 px: enough for a screen, and it keeps a year's picture small. */
export const px = (n: number): string => String(Math.round(n * 10) / 10);

const attributesOf = (attributes: Attributes): string =>
  Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([name, value]) => ` ${name}="${typeof value === 'number' ? px(value) : escapeXml(value)}"`)
    .join('');

/** An element whose children are markup already built; pass an empty list for `<tag/>`. */
export const element = (tag: string, attributes: Attributes, children: readonly string[] = []): string =>
  children.length === 0
    ? `<${tag}${attributesOf(attributes)}/>`
    : `<${tag}${attributesOf(attributes)}>${children.join('')}</${tag}>`;

/** An element holding text, escaped here so no caller can forget to. */
export const textElement = (tag: string, attributes: Attributes, text: string): string =>
  `<${tag}${attributesOf(attributes)}>${escapeXml(text)}</${tag}>`;

/** An average character width for the sans-serif stack, in ems: labels are sized by estimate, as no font is embedded. */
const CHAR_WIDTH_EM = 0.54;

export const textWidth = (text: string, fontSize: number): number => [...text].length * fontSize * CHAR_WIDTH_EM;

/** The text cut at a word boundary with an ellipsis so it fits `width` px; whole if it already fits. */
export const fitText = (text: string, width: number, fontSize: number): string => {
  const single = text.replace(/\s+/g, ' ').trim();
  const maxChars = Math.floor(width / (fontSize * CHAR_WIDTH_EM));
  const chars = [...single];
  if (chars.length <= maxChars) return single;
  const cut = chars.slice(0, Math.max(1, maxChars - 1)).join('');
  const atWord = cut.lastIndexOf(' ');
  return `${(atWord > cut.length * 0.6 ? cut.slice(0, atWord) : cut).trimEnd()}…`;
};
