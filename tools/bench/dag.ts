/**
 * The program's dependency graph as the Pulumi engine sees it: one node per resource, an edge for
 * every dependency the registration carries (explicit dependsOn, components expanded to their
 * children, outputs used as inputs), for the explicit provider, and from a parent to its children
 * (a child's registration waits for its parent's URN, and a component's URN waits for the
 * component's own dependsOn; that is how a component's dependsOn orders its children).
 */
import { unwrapSecrets, type RecordedResource } from "../render/mockRuntime";
import { classify, DURATIONS, type StepKind } from "./durations";

/** A recorded resource with its dependencies (runUnderMocks with recordDependencies). */
export type GraphResource = RecordedResource;

export interface DagNode {
  /** `type::name`. */
  readonly key: string;
  readonly name: string;
  readonly kind: StepKind;
  readonly seconds: number;
  /** Indices of the nodes this one waits for (all smaller than its own index: topological order). */
  readonly deps: readonly number[];
  /** Where the step runs (SSH host of a remote command), for per-host limits. */
  readonly host: string | undefined;
}

function connectionHost(inputs: Record<string, unknown>): string | undefined {
  const connection = unwrapSecrets(inputs.connection) as Record<string, unknown> | undefined;
  const host = connection?.host;
  return typeof host === "string" ? host : undefined;
}

/** Builds the DAG in topological order; throws on a dependency cycle or an unknown dependency. */
export function buildDag(resources: readonly GraphResource[]): DagNode[] {
  const byKey = new Map(resources.map((r) => [`${r.type}::${r.name}`, r]));
  const predecessors = new Map<string, Set<string>>();
  for (const r of resources) {
    const key = `${r.type}::${r.name}`;
    const deps = new Set<string>([...(r.dependsOn ?? []), ...(r.provider === undefined ? [] : [r.provider]), ...(r.parent === undefined ? [] : [r.parent])]);
    for (const dep of deps) if (!byKey.has(dep)) throw new Error(`${key} depends on ${dep}, which the run did not record`);
    deps.delete(key);
    predecessors.set(key, deps);
  }
  // Kahn's algorithm, ties broken by declaration order (the order the program registers resources).
  const order: string[] = [];
  const remaining = new Map([...predecessors].map(([k, v]) => [k, new Set(v)]));
  const declared = resources.map((r) => `${r.type}::${r.name}`);
  while (order.length < declared.length) {
    const next = declared.find((k) => remaining.has(k) && remaining.get(k)!.size === 0);
    if (next === undefined) throw new Error(`dependency cycle among: ${[...remaining.keys()].join(", ")}`);
    order.push(next);
    remaining.delete(next);
    for (const deps of remaining.values()) deps.delete(next);
  }
  const index = new Map(order.map((k, i) => [k, i]));
  const ancestorsOf = (r: GraphResource): string[] => {
    const types: string[] = [];
    for (let p = r.parent; p !== undefined; p = byKey.get(p)?.parent) types.push(p.slice(0, p.indexOf("::")));
    return types;
  };
  // A Windows workload is cold (pulls the image) unless another Windows workload ran before it.
  const afterWindowsWorkload: boolean[] = [];
  const nodes: DagNode[] = [];
  for (const key of order) {
    const r = byKey.get(key)!;
    const deps = [...predecessors.get(key)!].map((d) => index.get(d)!).sort((a, b) => a - b);
    let kind = classify(r, ancestorsOf(r));
    const inherited = deps.some((d) => afterWindowsWorkload[d] === true);
    if (kind === "workload-windows-cold" && inherited) kind = "workload-windows-warm";
    afterWindowsWorkload.push(inherited || kind === "workload-windows-cold" || kind === "workload-windows-warm");
    nodes.push({ key, name: r.name, kind, seconds: DURATIONS[kind].seconds, deps, host: connectionHost(r.inputs) });
  }
  return nodes;
}
