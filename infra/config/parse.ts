/** Schema parsing with every zod issue turned into a Problem that names key, value and what is allowed. */
import { z } from "zod";
import { keyOf, type Problem } from "./problems";
import { stackSchema, type StackConfig } from "./schema";

export type ParseResult = { ok: true; config: StackConfig } | { ok: false; problems: Problem[] };
export type StackKey = keyof StackConfig;
export const STACK_KEYS = Object.keys(stackSchema.shape) as StackKey[];

export interface PartialParse {
  /** Each top-level key that parsed, with its defaults applied. */
  readonly config: Partial<StackConfig>;
  /** The top-level keys that parsed (an optional key that is absent counts as parsed). */
  readonly parsed: ReadonlySet<StackKey>;
  readonly problems: Problem[];
}

export function parseStack(raw: unknown): ParseResult {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    const result = stackSchema.safeParse(raw, { reportInput: true });
    if (result.success) return { ok: true, config: result.data };
    return { ok: false, problems: result.error.issues.flatMap((issue) => toProblems(issue)) };
  }
  const parts = parseStackKeys(raw as Record<string, unknown>);
  return parts.problems.length === 0 ? { ok: true, config: parts.config as StackConfig } : { ok: false, problems: parts.problems };
}

/**
 * Parses each top-level key with its own schema, so a mistake in one key does not hide the checks
 * (rules.ts) that only read other keys. Unknown top-level keys are reported too.
 */
export function parseStackKeys(raw: Readonly<Record<string, unknown>>): PartialParse {
  const config: Record<string, unknown> = {};
  const parsed = new Set<StackKey>();
  const problems: Problem[] = [];
  for (const key of STACK_KEYS) {
    const result = stackSchema.shape[key].safeParse(raw[key], { reportInput: true });
    if (result.success) {
      parsed.add(key);
      if (result.data !== undefined) config[key] = result.data;
    } else {
      problems.push(...result.error.issues.flatMap((issue) => toProblems({ ...issue, path: [key, ...issue.path] } as z.core.$ZodIssue)));
    }
  }
  const unknown = Object.keys(raw).filter((key) => !(STACK_KEYS as string[]).includes(key));
  if (unknown.length > 0) problems.push(...toProblems({ code: "unrecognized_keys", keys: unknown, path: [], input: raw, message: "" }));
  return { config: config as Partial<StackConfig>, parsed, problems };
}

function toProblems(issue: z.core.$ZodIssue): Problem[] {
  const path = issue.path as PropertyKey[];
  switch (issue.code) {
    case "unrecognized_keys": {
      const allowed = allowedKeysAt(path);
      return issue.keys.map((key) => ({
        key: keyOf([...path, key]),
        value: (issue.input as Record<string, unknown> | undefined)?.[key],
        problem: "is not a known key (a typo?)",
        allowed: allowed.length > 0 ? `the keys ${allowed.join(", ")}` : "no further keys here",
      }));
    }
    case "invalid_value":
      return [
        {
          key: keyOf(path),
          value: issue.input,
          problem: issue.input === undefined ? "is required" : "is not one of the allowed values",
          allowed: issue.values.map((v) => JSON.stringify(v)).join(", "),
        },
      ];
    case "custom":
      // Refinements made by schema.ts `checked` carry their own problem text; the message is what is allowed.
      return [{ key: keyOf(path), value: issue.input, problem: String(issue.params?.problem ?? "is invalid"), allowed: issue.message }];
    case "invalid_type":
      return [
        {
          key: keyOf(path),
          value: issue.input,
          problem: issue.input === undefined ? "is required" : "has the wrong type",
          allowed: `a value of type ${issue.expected}`,
        },
      ];
    case "too_small":
      return [{ key: keyOf(path), value: issue.input, problem: "is too small", allowed: boundText(issue.origin, ">=", issue.minimum, issue.inclusive) }];
    case "too_big":
      return [{ key: keyOf(path), value: issue.input, problem: "is too big", allowed: boundText(issue.origin, "<=", issue.maximum, issue.inclusive) }];
    case "invalid_format":
      return [{ key: keyOf(path), value: issue.input, problem: "is malformed", allowed: issue.message.replace(/^Invalid [a-z ]*: /i, "") }];
    case "invalid_union":
      return [{ key: keyOf(path), value: issue.input, problem: "is not allowed", allowed: unionText(issue) }];
    default:
      return [{ key: keyOf(path), value: issue.input, problem: "is invalid", allowed: issue.message }];
  }
}

function boundText(origin: string, op: string, bound: unknown, inclusive: boolean | undefined): string {
  const operator = inclusive === false ? op.slice(0, 1) : op;
  switch (origin) {
    case "string":
      return `a text of length ${operator} ${String(bound)}`;
    case "array":
      return `a list with ${operator} ${String(bound)} entries`;
    default:
      return `a number ${operator} ${String(bound)}`;
  }
}

function unionText(issue: z.core.$ZodIssueInvalidUnion): string {
  const literals = issue.errors.flat().flatMap((inner) => ("values" in inner ? (inner.values as unknown[]) : []));
  return literals.length > 0 ? `one of ${literals.map((v) => JSON.stringify(v)).join(", ")}` : issue.message;
}

/** Keys the schema allows at a path, for "unknown key" messages. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType = stackSchema;
  for (const part of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodArray) schema = schema.element;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.core.$ZodType;
    else if (schema instanceof z.ZodObject) {
      const next: z.core.$ZodType | undefined = (schema.shape as Record<string, z.core.$ZodType>)[String(part)];
      if (next === undefined) return [];
      schema = next;
    } else return [];
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodPrefault) {
    current = current.unwrap() as z.core.$ZodType;
  }
  return current;
}
