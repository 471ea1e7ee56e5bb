/**
 * Reads stacks/Pulumi.<stack>.yaml the way the Pulumi CLI would hand it to the program, without
 * decrypting anything: every `secure:` value becomes SECRET_TEXT, its exact path is recorded and its
 * top-level key is marked secret; a key without a namespace is the project's (`opentwin:`), as for Pulumi.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ConfigSource } from "../../infra/config/load";
import { isUnderSecurePath, scanSecureValues, topLevelKey } from "../../infra/config/securePaths";
import { SECRET_TEXT } from "./mockRuntime";

export interface StackFile {
  /** `namespace:key` -> raw text (JSON for structured values), as the Pulumi runtime sees it. */
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
  /** Full path of every `secure:` value (`opentwin:mongodb.adminPassword`); without it, whole top-level keys count. */
  readonly securePaths?: string[];
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
  const scan = scanSecureValues(configSection as Record<string, unknown>, SECRET_TEXT, path);
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(scan.config)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
  return { config, secretKeys: [...new Set(scan.securePaths.map(topLevelKey))], securePaths: scan.securePaths };
}

/** Pulumi's own rule for stack names, without a leading dot (so `.` and `..` never name a stack). */
export const STACK_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/;

export function stackFileSource(file: StackFile): ConfigSource {
  return {
    keys: () => Object.keys(file.config),
    get: (key) => file.config[key],
    isSecretPath: (path) => (file.securePaths !== undefined ? isUnderSecurePath(file.securePaths, path) : file.secretKeys.includes(topLevelKey(path))),
  };
}

/**
 * The project's own keys of a stack file's `config:` map, without their `opentwin:` prefix, as a
 * user wrote them (bare keys count as the project's, as Pulumi reads them; `pulumi:` and other
 * namespaces are left out). For tests and tools that edit a stack before loading it.
 */
export function projectKeys(config: Record<string, unknown>): Record<string, unknown> {
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (key.startsWith("opentwin:")) own[key.slice("opentwin:".length)] = value;
    else if (!key.includes(":")) own[key] = value;
  }
  return own;
}
