/**
 * Reads stacks/Pulumi.<stack>.yaml the way the Pulumi CLI would hand it to the program, without
 * decrypting anything: every `secure:` value becomes SECRET_TEXT and its top-level key is marked secret.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ConfigSource } from "../../infra/config/load";
import { SECRET_TEXT } from "./mockRuntime";

export interface StackFile {
  /** `namespace:key` -> raw text (JSON for structured values), as the Pulumi runtime sees it. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

export function availableStacks(stacksDir: string): string[] {
  return readdirSync(stacksDir)
    .map((file) => /^Pulumi\.(.+)\.yaml$/.exec(file)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

export function readStackFile(stacksDir: string, stack: string): StackFile {
  const allowed = `allowed: ${availableStacks(stacksDir).join(", ")}`;
  if (!STACK_NAME.test(stack)) throw new Error(`"${stack}" is not a stack name (letters, digits, '.', '_', '-', not starting with '.'); ${allowed}`);
  const path = join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!existsSync(path)) throw new Error(`There is no stack "${stack}" (no ${path}); ${allowed}`);
  let document: unknown;
  try {
    document = parse(readFileSync(path, "utf8")) ?? {};
  } catch (error) {
    throw new Error(`${path} is not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof document !== "object" || document === null || Array.isArray(document)) throw new Error(`${path} is not a YAML map with a config: section`);
  const configSection = (document as { config?: unknown }).config ?? {};
  if (typeof configSection !== "object" || configSection === null || Array.isArray(configSection)) throw new Error(`${path}: config: is not a map of keys`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(configSection)) {
    let secret = false;
    const plain = replaceSecure(value, () => (secret = true), new Set(), path);
    if (secret) secretKeys.push(key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { config, secretKeys };
}

/** Pulumi's own rule for stack names, without a leading dot (so `.` and `..` never name a stack). */
const STACK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

function replaceSecure(value: unknown, found: () => void, ancestors: Set<unknown>, file: string): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (ancestors.has(value)) throw new Error(`${file}: YAML aliases refer to themselves (a cycle)`);
  const inner = new Set(ancestors).add(value);
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found, inner, file));
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]?.[0] === "secure") {
    found();
    return SECRET_TEXT;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecure(v, found, inner, file)]));
}

export function stackFileSource(file: StackFile): ConfigSource {
  return {
    keys: () => Object.keys(file.config),
    get: (key) => file.config[key],
    isSecret: (key) => file.secretKeys.includes(key),
  };
}
