/**
 * XML well-formedness through a real parser: Python's expat (xml.dom.minidom), which is on every
 * machine of this project's kind; no XML parser is among the npm dependencies.
 */
import { execFileSync } from "node:child_process";

const PROGRAM = `
import json, sys, xml.dom.minidom
doc = xml.dom.minidom.parseString(sys.stdin.buffer.read())
def walk(node):
    if node.nodeType != node.ELEMENT_NODE:
        return None
    return {
        "ns": node.namespaceURI, "name": node.localName,
        "attrs": {a.name: a.value for a in node.attributes.values()},
        "text": "".join(c.data for c in node.childNodes if c.nodeType == c.TEXT_NODE),
        "children": [c for c in (walk(k) for k in node.childNodes) if c is not None],
    }
print(json.dumps(walk(doc.documentElement)))
`;

export interface XmlElement {
  readonly ns: string | null;
  readonly name: string;
  readonly attrs: Record<string, string>;
  readonly text: string;
  readonly children: XmlElement[];
}

/** Parses `xml` (throws with the parser's message when it is not well-formed). */
export function parseXml(xml: string): XmlElement {
  const out = execFileSync("python3", ["-c", PROGRAM], { input: Buffer.from(xml, "utf8"), encoding: "utf8", stdio: ["pipe", "pipe", "pipe"] });
  return JSON.parse(out) as XmlElement;
}

/** Every element below `root` (depth first). */
export function elements(root: XmlElement): XmlElement[] {
  return [root, ...root.children.flatMap(elements)];
}
