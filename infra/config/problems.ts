import { SECRET_PATHS } from "./schema";

/** A configuration problem, reported with the key, the value found and what is allowed. */
export interface Problem {
  /** Full key, e.g. `opentwin:network.podCidr` or `opentwin:windowsWorkers.nodes[0].name`. */
  readonly key: string;
  readonly value: unknown;
  /** What is wrong with the value, e.g. "overlaps opentwin:network.serviceCidr (10.96.0.0/12)". */
  readonly problem: string;
  readonly allowed: string;
}

export const CONFIG_NAMESPACE = "opentwin";

/** ["network", "nodes", 0, "name"] -> "opentwin:network.nodes[0].name" */
export function keyOf(path: readonly PropertyKey[]): string {
  let key = "";
  for (const part of path) {
    if (typeof part === "number") key += `[${part}]`;
    else key += key === "" ? String(part) : `.${String(part)}`;
  }
  return `${CONFIG_NAMESPACE}:${key}`;
}

/** What a problem shows instead of a value at or below a secret path. */
export const HIDDEN_VALUE = "(hidden)";

/** `hosts.*.sshPrivateKey` -> a test for `opentwin:hosts[0].sshPrivateKey` and every key below it. */
function secretKeyPattern(pattern: string): RegExp {
  const parts = pattern.split(".").map((part, i) => {
    if (part === "*") return String.raw`(?:\[\d+\]|\..+?)`;
    const escaped = part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    return i === 0 ? escaped : `\\.${escaped}`;
  });
  return new RegExp(`^${CONFIG_NAMESPACE}:${parts.join("")}(?:$|[.[])`);
}

const SECRET_KEYS = SECRET_PATHS.map((s) => secretKeyPattern(s.path));

/** True when `key` (as keyOf writes it) is a secret path of SECRET_PATHS or lies inside one. */
export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.some((pattern) => pattern.test(key));
}

/**
 * The problem as it may be shown: a value at or below a secret path becomes "(hidden)", whatever rule
 * or schema check reported it and whatever its type (a number, a list, a map with a `secure` key).
 */
export function redacted(p: Problem): Problem {
  return p.value === undefined || p.value === HIDDEN_VALUE || !isSecretKey(p.key) ? p : { ...p, value: HIDDEN_VALUE };
}

export function formatProblem(p: Problem): string {
  const shown = redacted(p);
  return `${shown.key}: ${describe(shown.value)} ${shown.problem}; allowed: ${shown.allowed}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "(not set)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Thrown when a stack's configuration is invalid; carries every problem, not only the first. */
export class ConfigError extends Error {
  readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    super(
      `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was deployed:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
    // Every way out of the configuration check goes through here: no secret value is kept.
    this.problems = problems.map(redacted);
  }
}
