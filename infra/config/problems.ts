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

export function formatProblem(p: Problem): string {
  return `${p.key}: ${describe(p.value)} ${p.problem}; allowed: ${p.allowed}`;
}

function describe(value: unknown): string {
  if (value === undefined) return "(not set)";
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}

/** Thrown when a stack's configuration is invalid; carries every problem, not only the first. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly Problem[]) {
    super(
      `The stack configuration has ${problems.length} problem${problems.length === 1 ? "" : "s"}; nothing was deployed:\n` +
        problems.map((p) => `  - ${formatProblem(p)}`).join("\n"),
    );
    this.name = "ConfigError";
  }
}
