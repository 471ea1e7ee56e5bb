/**
 * Turns the recorded resources of a render into files: plan.json, one YAML per Kubernetes object,
 * and every script that runs on a machine, decoded, in the order it runs. Pure.
 */
import { stringify } from "yaml";
import { extractScript } from "./scripts";
import { redactSecrets, SECRET_TEXT, unwrapSecrets, type RecordedResource } from "./mockRuntime";

export interface RenderedFiles {
  /** Relative path -> content. */
  readonly files: Record<string, string>;
  readonly summary: RenderSummary;
}

export interface RenderSummary {
  readonly resources: number;
  readonly perLevel: Record<string, number>;
  readonly scriptsPerMachine: Record<string, number>;
  readonly kubernetesObjects: number;
}

/** The four levels of the deployment, by the component type that owns a resource. */
const LEVEL_OF_COMPONENT: [RegExp, string][] = [
  [/^opentwin:hyperv:/, "2 virtual machines"],
  [/^opentwin:cluster:|^opentwin:network:|^pulumi:providers:kubernetes/, "3 kubernetes"],
  [/^opentwin:pki:|^opentwin:opentwin:/, "4 opentwin"],
];

function levelOf(resource: RecordedResource, byKey: Map<string, RecordedResource>): string {
  // The nearest owner decides, so the VM steps a worker owns count as level 2.
  for (let current: RecordedResource | undefined = resource; current !== undefined; current = current.parent ? byKey.get(current.parent) : undefined) {
    for (const [pattern, level] of LEVEL_OF_COMPONENT) if (pattern.test(current.type)) return level;
  }
  return "0 program";
}

const COMMAND_TYPES = new Set(["command:remote:Command", "command:local:Command"]);

export function renderFiles(resources: readonly RecordedResource[], machineOfAddress: ReadonlyMap<string, string>): RenderedFiles {
  const files: Record<string, string> = {};
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  const perLevel: Record<string, number> = {};
  const scriptsPerMachine: Record<string, number> = {};
  let kubernetesObjects = 0;

  const plan = resources.map((r) => ({ type: r.type, name: r.name, parent: r.parent ?? null, inputs: planInputs(r) }));
  files["plan.json"] = `${JSON.stringify(plan, null, 2)}\n`;

  const commands = resources.filter((r) => COMMAND_TYPES.has(r.type));
  const width = Math.max(2, ...Object.values(countBy(commands, (r) => machineOf(r, machineOfAddress))).map((n) => String(n).length));

  for (const resource of resources) {
    const level = levelOf(resource, byKey);
    perLevel[level] = (perLevel[level] ?? 0) + 1;
    if (isKubernetesObject(resource)) {
      kubernetesObjects++;
      files[kubernetesPath(resource)] = stringify(kubernetesDocument(resource), { lineWidth: 0 });
    }
    if (COMMAND_TYPES.has(resource.type)) {
      const machine = machineOf(resource, machineOfAddress);
      const index = (scriptsPerMachine[machine] ?? 0) + 1;
      scriptsPerMachine[machine] = index;
      for (const phase of ["create", "delete"] as const) {
        const script = extractScript(resource.inputs, phase);
        if (script === undefined) continue;
        const suffix = phase === "create" ? "" : ".delete";
        files[`hosts/${machine}/${String(index).padStart(width, "0")}-${resource.name}${suffix}.${script.language === "powershell" ? "ps1" : "sh"}`] = script.text;
      }
    }
  }
  return { files, summary: { resources: resources.length, perLevel, scriptsPerMachine, kubernetesObjects } };
}

function countBy<T>(items: readonly T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

/**
 * Inputs as plan.json shows them. An SSH connection is secret as a whole because it carries the key;
 * the plan still shows where a command runs (host, port, user) and hides only the credentials.
 */
function planInputs(resource: RecordedResource): unknown {
  const inputs = redactSecrets(resource.inputs) as Record<string, unknown>;
  if (!COMMAND_TYPES.has(resource.type) || resource.inputs.connection === undefined) return inputs;
  return { ...inputs, connection: withoutCredentials(unwrapSecrets(resource.inputs.connection)) };
}

const CREDENTIALS = new Set(["privateKey", "privateKeyPassword", "password", "agentSocketPath"]);

function withoutCredentials(connection: unknown): unknown {
  if (typeof connection !== "object" || connection === null) return connection;
  return Object.fromEntries(
    Object.entries(connection).map(([key, value]) => [key, CREDENTIALS.has(key) ? SECRET_TEXT : key === "proxy" ? withoutCredentials(value) : value]),
  );
}

function isKubernetesObject(resource: RecordedResource): boolean {
  return resource.type.startsWith("kubernetes:") && !resource.type.startsWith("pulumi:providers:");
}

function kubernetesDocument(resource: RecordedResource): Record<string, unknown> {
  const [, group, kind] = resource.type.split(":");
  const apiVersion = group === "core/v1" ? "v1" : group;
  return { apiVersion, kind, ...(redactSecrets(resource.inputs) as Record<string, unknown>) };
}

function kubernetesPath(resource: RecordedResource): string {
  const kind = resource.type.split(":")[2] ?? "Object";
  const metadata = (resource.inputs.metadata ?? {}) as { name?: string; namespace?: string };
  const scope = metadata.namespace ?? "_cluster";
  return `kubernetes/${scope}/${kind}-${metadata.name ?? resource.name}.yaml`;
}

function machineOf(resource: RecordedResource, machineOfAddress: ReadonlyMap<string, string>): string {
  if (resource.type === "command:local:Command") return "local";
  // The connection carries the private key, so it arrives as a secret; only its host is read here.
  const connection = unwrapSecrets(resource.inputs.connection) as { host?: string } | undefined;
  const host = connection?.host;
  return (host !== undefined && machineOfAddress.get(host)) || host || "unknown";
}
