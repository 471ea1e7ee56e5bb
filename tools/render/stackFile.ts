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
  const path = join(stacksDir, `Pulumi.${stack}.yaml`);
  if (!/^[A-Za-z0-9._-]+$/.test(stack) || !existsSync(path)) {
    throw new Error(`There is no stack "${stack}" (no ${path}); allowed: ${availableStacks(stacksDir).join(", ")}`);
  }
  const document = (parse(readFileSync(path, "utf8")) ?? {}) as { config?: Record<string, unknown> };
  if (typeof document !== "object" || Array.isArray(document)) throw new Error(`${path} is not a YAML map with a config: section`);
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, value] of Object.entries(document.config ?? {})) {
    let secret = false;
    const plain = replaceSecure(value, () => (secret = true));
    if (secret) secretKeys.push(key);
    config[key] = typeof plain === "string" ? plain : JSON.stringify(plain);
  }
  return { config, secretKeys };
}

function replaceSecure(value: unknown, found: () => void): unknown {
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, found));
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === "secure") {
      found();
      return SECRET_TEXT;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, replaceSecure(v, found)]));
  }
  return value;
}

export function stackFileSource(file: StackFile): ConfigSource {
  return {
    keys: () => Object.keys(file.config),
    get: (key) => file.config[key],
    isSecret: (key) => file.secretKeys.includes(key),
  };
}
