/** Stack files as test fixtures: load one, change one field, run the same loader the program runs. */
import { projectKeys } from "../../tools/render/stackFile";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import type { ConfigSource } from "../../infra/config/load";
import { isUnderSecurePath } from "../../infra/config/securePaths";

export const REPO_ROOT = join(__dirname, "..", "..");

/** The `opentwin:` keys of stacks/Pulumi.<stack>.yaml with their prefix removed (other namespaces belong to Pulumi). */
export function stackConfig(stack: string): Record<string, unknown> {
  const document = parse(readFileSync(join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  return projectKeys(document.config);
}

/**
 * A ConfigSource over plain values; `securePaths` are the key paths (without `opentwin:`, e.g. `mongodb` or
 * `mongodb.adminPassword`) that count as `secure:` values in the stack file, with everything inside them.
 */
export function sourceOf(config: Record<string, unknown>, securePaths: string[] = []): ConfigSource {
  return {
    keys: () => Object.keys(config).map((key) => `opentwin:${key}`),
    get: (key) => {
      const value = config[key.replace(/^opentwin:/, "")];
      return value === undefined ? undefined : typeof value === "string" ? value : JSON.stringify(value);
    },
    isSecretPath: (path) => isUnderSecurePath(securePaths.map((p) => `opentwin:${p}`), path),
  };
}

/** Deep copy with `edit` applied, so each test changes one thing of a known-good stack. */
export function edited(config: Record<string, unknown>, edit: (c: any) => void): Record<string, unknown> {
  const copy = structuredClone(config);
  edit(copy);
  return copy;
}
