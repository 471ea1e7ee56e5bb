/**
 * Where a stack file holds `secure:` values, found one way for the render and for a real run, so the
 * plain-text secret check can ask about exact paths (`opentwin:mongodb.adminPasswordEncrypted`), not
 * only about top-level keys.
 */
import { readFileSync } from "node:fs";
import { parse } from "yaml";
import { CONFIG_NAMESPACE, ConfigError, type Problem } from "./problems";

/** Namespaces a stack file may use: the project's, Pulumi's own, and the Kubernetes provider's. */
export const KNOWN_NAMESPACES = [CONFIG_NAMESPACE, "pulumi", "kubernetes"] as const;

/** A stack file key as Pulumi reads it: a key without a namespace belongs to the project (`opentwin:`). */
export function fullConfigKey(key: string): string {
  return key.includes(":") ? key : `${CONFIG_NAMESPACE}:${key}`;
}

export interface SecureScan {
  /** The `config:` map with full keys and every `secure:` value replaced. */
  readonly config: Record<string, unknown>;
  /** Full key path of each `secure:` value, e.g. `opentwin:hosts[0].sshPrivateKey` (the form keyOf writes). */
  readonly securePaths: string[];
}

/** Replaces every `secure:` value of a stack file's `config:` map by `replacement` and records where each was. */
export function scanSecureValues(configSection: Record<string, unknown>, replacement: string, file: string): SecureScan {
  const securePaths: string[] = [];
  const visit = (value: unknown, path: string, ancestors: ReadonlySet<unknown>): unknown => {
    if (typeof value !== "object" || value === null) return value;
    if (ancestors.has(value)) throw new Error(`${file}: YAML aliases refer to themselves (a cycle)`);
    const inner = new Set(ancestors).add(value);
    if (Array.isArray(value)) return value.map((v, i) => visit(v, `${path}[${i}]`, inner));
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]?.[0] === "secure") {
      securePaths.push(path);
      return replacement;
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, visit(v, `${path}.${k}`, inner)]));
  };
  const duplicates = duplicateKeys(Object.keys(configSection));
  if (duplicates.length > 0) throw new ConfigError(duplicates);
  const config = Object.fromEntries(Object.entries(configSection).map(([key, value]) => [fullConfigKey(key), visit(value, fullConfigKey(key), new Set())]));
  return { config, securePaths };
}

/**
 * A bare key and its namespaced twin (`mongodb` and `opentwin:mongodb`) name one key: Pulumi would keep
 * one of them, and the other's `secure:` paths would still count. Both spellings are refused instead.
 */
function duplicateKeys(keys: readonly string[]): Problem[] {
  const spellings = new Map<string, string[]>();
  for (const key of keys) spellings.set(fullConfigKey(key), [...(spellings.get(fullConfigKey(key)) ?? []), key]);
  return [...spellings.entries()]
    .filter(([, written]) => written.length > 1)
    .map(([full, written]) => ({
      key: full,
      value: "(both values)",
      problem: `is set twice: ${[...written].sort((a, b) => Number(b.includes(":")) - Number(a.includes(":"))).map((w) => `as ${w}`).join(" and ")}`,
      allowed: `one entry: a key without a namespace is the project's, so ${full.slice(CONFIG_NAMESPACE.length + 1)} and ${full} are the same key`,
    }));
}

/** True when `path` is one of `securePaths` or lies inside one (a whole map given as one secure value). */
export function isUnderSecurePath(securePaths: readonly string[], path: string): boolean {
  return securePaths.some((secure) => path === secure || path.startsWith(`${secure}.`) || path.startsWith(`${secure}[`));
}

/** `opentwin:hosts[0].sshPrivateKey` -> `opentwin:hosts`. */
export function topLevelKey(path: string): string {
  return /^[^.[]*/.exec(path)![0];
}

/** The secure paths of a stack file on disk, or undefined when it cannot be read or parsed; ConfigError when a key is set twice. */
export function scanStackFile(file: string): SecureScan | undefined {
  try {
    const document = parse(readFileSync(file, "utf8")) as { config?: unknown } | null;
    const section = document?.config ?? {};
    if (typeof section !== "object" || section === null || Array.isArray(section)) return undefined;
    return scanSecureValues(section as Record<string, unknown>, "", file);
  } catch (error) {
    // A key set twice is the stack's mistake, not an unreadable file: stop the run with it.
    if (error instanceof ConfigError) throw error;
    return undefined;
  }
}
