/** Turns the measured figures into docs/benchmarks.md (pure: values in, text out). */
import { DURATIONS, type StepKind } from "./durations";
import type { EngineResult } from "./engine";
import type { GrowthResult } from "./growth";
import type { Spread } from "./measure";
import type { Scenario, VariantResult } from "./provisioning";

export interface ProvisioningSection {
  readonly scenarios: readonly Scenario[];
  readonly variants: readonly VariantResult[];
  readonly seeds: number;
  readonly jitter: number;
  /** Per worker count: the smallest --parallel whose makespan is within 5% of the critical path. */
  readonly minimalParallel: readonly { workers: number; parallel: number }[];
  readonly hostLimitedKinds: readonly string[];
}

export interface Report {
  readonly date: string;
  readonly machine: readonly string[];
  readonly totalSeconds: number;
  readonly provisioning: ProvisioningSection;
  readonly growth: GrowthResult;
  readonly engine: EngineResult;
}

const min = (s: number): string => `${(s / 60).toFixed(1)} min`;
const pct = (r: number): string => `${((r - 1) * 100).toFixed(1)}%`;
const sp = (s: Spread, f: (n: number) => string): string => `${f(s.min)} / ${f(s.median)} / ${f(s.max)}`;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function durationTable(): string[] {
  return [
    "| step kind | seconds | what | source |",
    "| --- | ---: | --- | --- |",
    ...(Object.entries(DURATIONS) as [StepKind, (typeof DURATIONS)[StepKind]][]).map(([kind, f]) => `| ${kind} | ${f.seconds} | ${f.what} | ${f.source} |`),
  ];
}

/** The issue's goal for one scenario: makespan at the largest N within 10% of the smallest N, and within 5% of its critical path. */
export function goal(p: ProvisioningSection, label: string): { text: string; figures: string; met: boolean; jitter: string } {
  const first = p.variants[0]!;
  const last = p.variants[p.variants.length - 1]!;
  const a = first.scenarios[label]!.nominal;
  const b = last.scenarios[label]!.nominal;
  const growth = b.makespan / a.makespan;
  const toCritical = b.makespan / b.critical;
  const ja = median(first.scenarios[label]!.jittered.map((x) => x.makespan));
  const jb = median(last.scenarios[label]!.jittered.map((x) => x.makespan));
  return {
    text: `N=${last.workers} within 10% of N=${first.workers}, and within 5% of its critical path`,
    figures: `nominal ${pct(growth)} and ${pct(toCritical)}`,
    met: growth <= 1.1 && toCritical <= 1.05,
    jitter: pct(jb / ja),
  };
}

/** The headline: the goal under the setting `npm run up` uses. */
function headline(p: ProvisioningSection): string[] {
  const users = p.scenarios.find((s) => s.whatUsersRun === true);
  if (users === undefined) return [];
  const g = goal(p, users.label);
  return [
    `**Goal under what users run** (${users.label}): ${g.text}: ${g.figures} -> **${g.met ? "met" : "not met"}**; with jitter (medians) ${g.jitter}.`,
    "",
  ];
}

function provisioning(p: ProvisioningSection): string[] {
  const out: string[] = [];
  for (const scenario of p.scenarios) {
    out.push(`#### ${scenario.label}`, "");
    out.push(
      "| Windows workers | steps (remote) | makespan | critical path | makespan / critical path | by-hand serial sum | serial / makespan | jittered makespan min / median / max |",
      "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    );
    for (const v of p.variants) {
      const s = v.scenarios[scenario.label]!;
      const j = s.jittered.map((x) => x.makespan);
      const jSpread = { min: Math.min(...j), median: median(j), max: Math.max(...j) };
      out.push(
        `| ${v.workers} | ${v.steps} (${v.remoteSteps}) | ${min(s.nominal.makespan)} | ${min(s.nominal.critical)} | ${(s.nominal.makespan / s.nominal.critical).toFixed(3)} | ${min(s.nominal.serial)} | ${(s.nominal.serial / s.nominal.makespan).toFixed(1)}x | ${sp(jSpread, min)} |`,
      );
    }
    const g = goal(p, scenario.label);
    out.push("", `Goal (${g.text}): ${g.figures} -> **${g.met ? "met" : "not met"}**; with jitter (medians) ${g.jitter}.`, "");
  }
  return out;
}

function engine(e: EngineResult): string[] {
  if (!e.available) return [`real engine: not available (${e.reason})`, ""];
  const out: string[] = [];
  if (e.missingPlugins.length > 0) {
    out.push(
      `**The dev and production stacks cannot be previewed here**: the program creates \`command\` (SSH steps) and \`tls\` (PKI) resources, and their provider plugins (${e.missingPlugins.join(", ")}) cannot be built on this machine: the Go module proxy refuses their provider modules (docs/toolchain.md). ` +
        `The e2e stack (\`stacks/Pulumi.e2e.yaml\`: existing cluster, supplied PKI, so the kubernetes provider only) stands in: ${e.rows.find((row) => row.kind === "e2e")?.resources ?? "?"} resources to create (as preview counts them), the Kubernetes layers of the program (Flannel, MongoDB, the OpenTwin services and their TLS secrets).`,
      "",
    );
  }
  out.push(
    `Pulumi ${e.version} built by scripts/toolchain/engine.sh. Each figure is the wall time of \`scripts/pulumi-local.sh preview <stack>\` (what \`npm run preview -- <stack>\` runs: \`pulumi stack select\`, then \`pulumi preview\` with its \`--parallel\`) on a throwaway project copy with its own file backend (tools/e2e/project.ts). ` +
      "The e2e stack gets generated certificates and secrets (tools/e2e/inputs.ts, tools/e2e/pki.ts); the one-resource program is a single ConfigMap with an explicit kubernetes provider, in the same project layout (runtime, TypeScript type-check) and with the same kubeconfig. " +
      "The kubeconfig points at a closed loopback port (https://127.0.0.1:1): preview needs no cluster. Runs interleaved after one warm-up round.",
    "",
    "| program | to create (as preview counts: stack and providers included) | wall min / median / max | median / one-resource median |",
    "| --- | ---: | ---: | ---: |",
  );
  const base = e.rows.find((row) => row.kind === "one-resource")!.ms.median;
  for (const row of e.rows) out.push(`| ${row.label} | ${row.resources} | ${sp(row.ms, (x) => `${(x / 1000).toFixed(2)} s`)} | ${(row.ms.median / base).toFixed(2)} |`);
  out.push("");
  return out;
}

export function renderReport(r: Report): string {
  const p = r.provisioning;
  const last = p.variants[p.variants.length - 1]!;
  const lines: string[] = [
    "<!-- Generated by `npm run bench` (tools/bench/cli.ts). Do not edit by hand: run the command again. -->",
    "# Benchmarks",
    "",
    `Generated ${r.date} in ${r.totalSeconds.toFixed(0)} s on this machine:`,
    "",
    ...r.machine.map((m) => `- ${m}`),
    "",
    "## 1. Provisioning makespan (simulated)",
    "",
    "The program runs under mocks for stacks derived from `stacks/Pulumi.production.yaml` (3 Hyper-V hosts, 3 control-plane nodes, 1 Debian worker, node network widened to 10.20.0.0/22) with N Windows workers spread round-robin over the hosts (with fewer than the stack's 3, each gets an equal share of their vCPU and memory, so the same OpenTwin services fit; no duration depends on size). " +
      "The dependency graph is the one the engine receives: every registration's dependencies (explicit `dependsOn`, components expanded to their children, outputs used as inputs), its provider, and its parent " +
      "(a child waits for its parent's URN, and a component's URN waits for the component's `dependsOn`). Each step gets the duration of its kind from the table below; components take no time.",
    "",
    "- **makespan**: the list schedule of the graph: a step starts when its dependencies are done (FIFO), with at most `--parallel` steps at once. " +
      "Pulumi's engine holds one of its `--parallel` slots for the whole provider operation, and a `command:remote:Command` runs its command inside Create, so a long SSH step occupies a slot for its whole duration. " +
      "Pulumi 3.276's default `--parallel` is 4 x GOMAXPROCS, i.e. 4 x the CPU count of the machine running `pulumi` (pulumi/pulumi `pkg/cmd/pulumi/operations/up.go` `defaultParallel()`; overridable with `PULUMI_PARALLEL`).",
    "- **critical path**: the longest dependency chain: no schedule is shorter.",
    "- **by-hand serial sum**: every step one after another, as the thesis and the sig-windows-tools guide do it by hand.",
    `- **jittered**: ${p.seeds} runs with every duration scaled by a factor drawn uniformly from [${1 - p.jitter}, ${1 + p.jitter}] (seeds 1..${p.seeds}); more workers mean more chances for a slow one.`,
    `- The host-limit scenario is an assumption, not a measured figure: at most the stated number of ${p.hostLimitedKinds.join(", ")} steps at once per Hyper-V host (disk and CPU contention of parallel first boots).`,
    "",
    `Critical chain (nominal, N=${last.workers}): ${last.criticalChain.join(" -> ")}`,
    "",
    `Edges from one Windows worker's steps to another worker's (each would serialise workers), N=${last.workers}: ` +
      (last.crossWorkerEdges.length === 0 ? "none." : last.crossWorkerEdges.join(", ")),
    "",
    ...headline(p),
    ...provisioning(p),
    "Smallest `--parallel` that keeps the nominal makespan within 5% of the critical path: " +
      p.minimalParallel.map((m) => `N=${m.workers}: ${m.parallel}`).join(", ") +
      ".",
    "",
    "### Step durations",
    "",
    ...durationTable(),
    "",
    "## 2. Cost of growth (evaluating the program)",
    "",
    "Each measurement is a fresh Node process (`tools/bench/renderOnce.ts`) that renders the production variant with N Windows workers under mocks (the `npm run render` path). " +
      "Evaluation time is measured around the render inside the process; process time includes Node, tsx and module loading; peak memory is `process.resourceUsage().maxRSS`.",
    "",
    "| Windows workers | resources | evaluation min / median / max | process wall min / median / max | peak RSS min / median / max |",
    "| ---: | ---: | ---: | ---: | ---: |",
    ...r.growth.rows.map(
      (row) =>
        `| ${row.workers} | ${row.resources} | ${sp(row.evaluationMs, (x) => `${(x / 1000).toFixed(2)} s`)} | ${sp(row.processMs, (x) => `${(x / 1000).toFixed(2)} s`)} | ${sp(row.maxRssMiB, (x) => `${x.toFixed(0)} MiB`)} |`,
    ),
    "",
    `Per-worker marginal cost (least-squares slope over the medians): ${r.growth.resourcesPerWorker.toFixed(1)} resources, ${r.growth.msPerWorker.toFixed(0)} ms of evaluation and ${r.growth.mibPerWorker.toFixed(2)} MiB of peak RSS per Windows worker.`,
    "",
    "## 3. Real engine (`pulumi preview`)",
    "",
  ];
  lines.push(...engine(r.engine));
  return `${lines.join("\n")}\n`;
}
