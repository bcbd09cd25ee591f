/** An element of a parsed XML document, with entities decoded. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** Child elements and character data, in document order. */
  content: (XmlElement | string)[];
}

const NAME = /^[A-Za-z_:][\w.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

const decode = (raw: string, where: number): string => {
  if (raw.includes('<')) throw new SyntaxError(`unescaped < at ${where}`);
  return raw.replace(/&([^;\s&]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new SyntaxError(`bare & at ${where}`);
    const hex = /^#x([0-9a-fA-F]+)$/.exec(ref);
    const dec = /^#(\d+)$/.exec(ref);
    if (hex) return String.fromCodePoint(Number.parseInt(hex[1]!, 16));
    if (dec) return String.fromCodePoint(Number(dec[1]));
    const named = ENTITIES[ref];
    if (named === undefined) throw new SyntaxError(`unknown entity &${ref}; at ${where}`);
    return named;
  });
};

/**
 * A strict reader for the XML this module writes: one root, matched tags, quoted and unique
 * attributes, only the five predefined entities, and only legal characters. It throws a
 * SyntaxError on anything malformed; no DTDs, CDATA or namespaces checks, which the SVG never uses.
 */
export const parseXml = (xml: string): XmlElement => {
  if (NOT_XML_CHAR.test(xml)) throw new SyntaxError('character not allowed in XML');
  let at = 0;
  const skip = (pattern: RegExp) => {
    const match = pattern.exec(xml.slice(at));
    if (match) at += match[0].length;
    return match;
  };
  skip(/^<\?xml[^?]*\?>/);
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  while (at < xml.length) {
    if (stack.length === 0) {
      skip(/^\s+/);
      if (at >= xml.length) break;
      if (root) throw new SyntaxError(`content after the root element at ${at}`);
    }
    if (skip(/^<!--[\s\S]*?-->/)) continue;
    if (xml.startsWith('</', at)) {
      const close = skip(/^<\/([A-Za-z_:][\w.:-]*)\s*>/);
      const open = stack.pop();
      if (!close || open?.name !== close[1]) throw new SyntaxError(`mismatched close tag at ${at}`);
      continue;
    }
    if (xml[at] === '<') {
      at++;
      const name = skip(NAME)?.[0];
      if (!name) throw new SyntaxError(`bad tag name at ${at}`);
      const element: XmlElement = { name, attributes: {}, children: [], content: [] };
      for (;;) {
        if (skip(/^\s*\/>/)) break;
        if (skip(/^\s*>/)) {
          stack.push(element);
          break;
        }
        const attribute = skip(/^\s+([A-Za-z_:][\w.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/);
        if (!attribute) throw new SyntaxError(`bad attribute in <${name}> at ${at}`);
        const attributeName = attribute[1]!;
        if (attributeName in element.attributes) throw new SyntaxError(`duplicate attribute ${attributeName} at ${at}`);
        element.attributes[attributeName] = decode(attribute[3] ?? attribute[4] ?? '', at);
      }
      const parent = stack.at(element === stack.at(-1) ? -2 : -1);
      if (parent) {
        parent.children.push(element);
        parent.content.push(element);
      } else if (root) throw new SyntaxError(`second root element at ${at}`);
      else root = element;
      continue;
    }
    const end = xml.indexOf('<', at);
    const raw = xml.slice(at, end === -1 ? xml.length : end);
    const current = stack.at(-1);
    if (!current) throw new SyntaxError(`text outside the root element at ${at}`);
    current.content.push(decode(raw, at));
    at += raw.length;
  }
  if (stack.length > 0) throw new SyntaxError(`unclosed <${stack.at(-1)!.name}>`);
  if (!root) throw new SyntaxError('no root element');
  return root;
};

/** Every element below (and including) `root`, depth first, in document order. */
export const descendants = (root: XmlElement): XmlElement[] => [root, ...root.children.flatMap(descendants)];

/** All character data of an element and its descendants, in document order. */
export const textContent = (element: XmlElement): string =>
  element.content.map((part) => (typeof part === 'string' ? part : textContent(part))).join('');
