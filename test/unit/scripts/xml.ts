/** XML well-formedness through a real parser (@xmldom/xmldom): any error, not only fatal ones, fails the parse. */
import { DOMParser, type Element, type Node } from "@xmldom/xmldom";

export interface XmlElement {
  readonly ns: string | null;
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly text: string;
  readonly children: XmlElement[];
}

const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

/** Parses `xml` (throws with the parser's message when it is not well-formed). */
export function parseXml(xml: string): XmlElement {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`XML ${level}: ${message}`);
    },
  });
  const document = parser.parseFromString(xml, "text/xml");
  if (document.documentElement === null) throw new Error("XML has no root element");
  return walk(document.documentElement);
}

function walk(element: Element): XmlElement {
  const children = Array.from(element.childNodes as unknown as ArrayLike<Node>);
  return {
    ns: element.namespaceURI,
    name: element.localName ?? element.nodeName,
    attrs: Object.fromEntries(Array.from(element.attributes as unknown as ArrayLike<{ name: string; value: string }>).map((a) => [a.name, a.value])),
    text: children.filter((c) => c.nodeType === TEXT_NODE).map((c) => c.nodeValue ?? "").join(""),
    children: children.filter((c) => c.nodeType === ELEMENT_NODE).map((c) => walk(c as Element)),
  };
}

/** Every element below `root` (depth first). */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}
