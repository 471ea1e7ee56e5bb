/**
 * PowerShell checks on a real grammar: tree-sitter-powershell (wasm) loaded through web-tree-sitter,
 * so no PowerShell and no native build is needed.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Language, Parser, type Node } from "web-tree-sitter";

const requireHere = createRequire(__filename);
let parser: Parser | undefined;

/** The grammar's npm package version (for the notes). */
export function grammarVersion(): string {
  const pkg = JSON.parse(readFileSync(requireHere.resolve("tree-sitter-powershell/package.json"), "utf8")) as { version: string };
  return pkg.version;
}

async function loadParser(): Promise<Parser> {
  if (parser !== undefined) return parser;
  await Parser.init();
  const wasm = join(dirname(requireHere.resolve("tree-sitter-powershell/package.json")), "tree-sitter-powershell.wasm");
  const language = await Language.load(wasm);
  const created = new Parser();
  created.setLanguage(language);
  parser = created;
  return created;
}

export interface SyntaxProblem {
  readonly line: number;
  readonly column: number;
  readonly text: string;
}

export interface StringLiteral {
  /** verbatim: '...' or @'...'@ (never expanded); expandable: "..." or @"..."@. */
  readonly kind: "verbatim" | "expandable";
  /** The value PowerShell gives the literal (quotes removed, '' -> ' in verbatim strings). */
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

export interface ParsedScript {
  readonly problems: SyntaxProblem[];
  readonly literals: StringLiteral[];
}

function collect(node: Node, problems: SyntaxProblem[], literals: StringLiteral[]): void {
  if (node.isError || node.isMissing) {
    problems.push({
      line: node.startPosition.row + 1,
      column: node.startPosition.column + 1,
      text: node.isMissing ? `missing ${node.type}` : node.text.slice(0, 80),
    });
  }
  if (node.type === "string_literal") {
    literals.push(literalOf(node));
    return;
  }
  for (const child of node.children) if (child !== null) collect(child, problems, literals);
}

const QUOTE_CLASS = "['\u2018\u2019\u201A\u201B]";

function literalOf(node: Node): StringLiteral {
  const text = node.text;
  const base = { start: node.startIndex, end: node.endIndex };
  if (text.startsWith("@'")) return { kind: "verbatim", value: text.replace(/^@'\r?\n/, "").replace(/\r?\n'@$/, ""), ...base };
  if (text.startsWith("@\"")) return { kind: "expandable", value: text.replace(/^@"\r?\n/, "").replace(/\r?\n"@$/, ""), ...base };
  if (new RegExp(`^${QUOTE_CLASS}`).test(text)) {
    return { kind: "verbatim", value: text.slice(1, -1).replace(new RegExp(`(${QUOTE_CLASS})\\1`, "g"), "$1"), ...base };
  }
  return { kind: "expandable", value: text.slice(1, -1), ...base };
}

/**
 * Known gaps of the grammar (0.26.4), each valid PowerShell it rejects; they are blanked out (same
 * length, so positions stay right) before parsing:
 * - a numeric multiplier after a binary operator (`80 * 1GB` fails, `1GB` alone parses).
 */
export function withoutGrammarGaps(source: string): string {
  return source.replace(/(?<=\b\d+)(KB|MB|GB|TB|PB)\b/gi, (suffix) => " ".repeat(suffix.length));
}

export async function parsePowerShell(source: string): Promise<ParsedScript> {
  const p = await loadParser();
  const tree = p.parse(withoutGrammarGaps(source));
  if (tree === null) throw new Error("tree-sitter returned no tree");
  const problems: SyntaxProblem[] = [];
  const literals: StringLiteral[] = [];
  collect(tree.rootNode, problems, literals);
  if (tree.rootNode.hasError && problems.length === 0) problems.push({ line: 1, column: 1, text: "the tree has an error" });
  tree.delete();
  return { problems, literals };
}

export interface ValuePlacement {
  readonly value: string;
  /** Occurrences of the value in the source outside any verbatim literal (each a line number). */
  readonly outside: number[];
  /** Number of verbatim literals that hold the value. */
  readonly inVerbatim: number;
}

/**
 * Where a stack value appears: it must appear only inside single-quoted literals. Text inside
 * comments is ignored (comments never run). An occurrence inside an expandable string is a failure
 * ($ and ` would be expanded there).
 */
export async function placementOf(source: string, value: string): Promise<ValuePlacement> {
  const { literals } = await parsePowerShell(source);
  const verbatim = literals.filter((l) => l.kind === "verbatim");
  const covered = verbatim.map((l) => [l.start, l.end] as const);
  const comments = commentRanges(source);
  const outside: number[] = [];
  // The raw value may appear in the source only where doubling apostrophes does not change it;
  // search both the raw and the doubled form, then require each hit to lie inside a verbatim literal.
  const forms = new Set([value, value.replace(new RegExp(QUOTE_CLASS, "g"), (q) => q + q)]);
  for (const form of forms) {
    for (let i = source.indexOf(form); i >= 0; i = source.indexOf(form, i + 1)) {
      const inside = (ranges: readonly (readonly [number, number])[]) => ranges.some(([s, e]) => i >= s && i + form.length <= e);
      if (!inside(covered) && !inside(comments)) outside.push(source.slice(0, i).split("\n").length);
    }
  }
  return { value, outside: [...new Set(outside)], inVerbatim: verbatim.filter((l) => l.value.includes(value)).length };
}

function commentRanges(source: string): [number, number][] {
  const ranges: [number, number][] = [];
  const re = /(^|\n)[ \t]*#[^\n]*/g;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) ranges.push([m.index, m.index + m[0].length]);
  return ranges;
}
