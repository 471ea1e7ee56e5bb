/**
 * Section 1: provisioning makespan. Runs the program under mocks for each variant, builds the
 * engine's dependency graph, times every step from the durations table and schedules it.
 */
import { loadStack } from "../../infra/config/load";
import { deployStack } from "../../infra/program";
import { runUnderMocks } from "../render/mockRuntime";
import { PROJECT } from "../render/render";
import { stackFileSource, type StackFile } from "../render/stackFile";
import { buildDag, type DagNode } from "./dag";
import type { StepKind } from "./durations";
import { criticalPath, jitter, serialSum, simulate, type TimedStep } from "./schedule";

/** Steps limited per Hyper-V host in the "host limit" scenario: VM creation and first boot. */
export const HOST_LIMITED_KINDS: ReadonlySet<StepKind> = new Set(["vm-create", "first-boot-windows", "first-boot-debian"]);

export async function programDag(file: StackFile, stack: string): Promise<DagNode[]> {
  const loaded = loadStack(stackFileSource(file), { allowMissingSecrets: true });
  const resources = await runUnderMocks(
    { project: PROJECT, stack, config: file.config, secretKeys: file.secretKeys, recordDependencies: true },
    () => {
      deployStack(loaded);
    },
  );
  return buildDag(resources);
}

export function timedSteps(dag: readonly DagNode[]): (TimedStep & { name: string })[] {
  return dag.map((n) => ({ name: n.name, seconds: n.seconds, deps: n.deps, group: n.host, limited: HOST_LIMITED_KINDS.has(n.kind) }));
}

export interface Scenario {
  readonly label: string;
  readonly parallel?: number;
  readonly groupLimit?: number;
  /** The setting `npm run up` / `npm run preview` use (scripts/pulumi-local.sh): the headline goal line. */
  readonly whatUsersRun?: boolean;
}

export interface ScenarioFigures {
  readonly makespan: number;
  readonly critical: number;
  readonly serial: number;
}

export interface VariantResult {
  readonly workers: number;
  readonly steps: number;
  /** Remote commands (SSH steps) in the graph. */
  readonly remoteSteps: number;
  readonly criticalChain: string[];
  /** Edges from one Windows worker's steps to another's (any would serialise workers). */
  readonly crossWorkerEdges: string[];
  /** scenario label -> nominal figures and jittered makespans (one per seed). */
  readonly scenarios: Record<string, { nominal: ScenarioFigures; jittered: ScenarioFigures[] }>;
}

export function evaluate(dag: readonly DagNode[], workers: number, scenarios: readonly Scenario[], seeds: readonly number[], spread: number): VariantResult {
  const steps = timedSteps(dag);
  const figures = (s: readonly TimedStep[], scenario: Scenario): ScenarioFigures => ({
    makespan: simulate(s, { parallel: scenario.parallel, groupLimit: scenario.groupLimit }).makespan,
    critical: criticalPath(s).length,
    serial: serialSum(s),
  });
  const jittered = seeds.map((seed) => jitter(steps, spread, seed));
  const result: VariantResult["scenarios"] = {};
  for (const scenario of scenarios) {
    result[scenario.label] = { nominal: figures(steps, scenario), jittered: jittered.map((s) => figures(s, scenario)) };
  }
  return {
    workers,
    steps: dag.filter((n) => n.kind !== "component").length,
    remoteSteps: dag.filter((n) => n.key.startsWith("command:remote:Command::")).length,
    criticalChain: criticalPath(steps).path.map((i) => dag[i]!).filter((n) => n.seconds > 0).map((n) => `${n.name} (${n.seconds} s)`),
    crossWorkerEdges: crossWorkerEdges(dag),
    scenarios: result,
  };
}

/** The worker a step belongs to, from the WindowsWorker naming (`windows-<node>-...`). */
function workerOf(name: string, workers: readonly string[]): string | undefined {
  return workers.find((w) => name === w || name.startsWith(`${w}-`));
}

export function crossWorkerEdges(dag: readonly DagNode[]): string[] {
  const workers = dag.filter((n) => n.key.startsWith("opentwin:cluster:WindowsWorker::")).map((n) => n.name);
  const edges: string[] = [];
  for (const node of dag) {
    const own = workerOf(node.name, workers);
    if (own === undefined) continue;
    for (const d of node.deps) {
      const other = workerOf(dag[d]!.name, workers);
      if (other !== undefined && other !== own) edges.push(`${dag[d]!.name} -> ${node.name}`);
    }
  }
  return edges;
}
