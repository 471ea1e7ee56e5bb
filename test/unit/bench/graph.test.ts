import { describe, expect, it } from "vitest";
import { buildDag, type GraphResource } from "../../../tools/bench/dag";
import { classify, DURATIONS } from "../../../tools/bench/durations";
import { slope, spread } from "../../../tools/bench/measure";
import { crossWorkerEdges } from "../../../tools/bench/provisioning";
import { withWindowsWorkers, workerAddress, workerName } from "../../../tools/bench/variants";
import { loadStack } from "../../../infra/config/load";
import { readStackFile, stackFileSource } from "../../../tools/render/stackFile";
import { join, resolve } from "node:path";
import { parseCidr } from "../../../components/lib/cidr";

const CMD = "command:remote:Command";
const WW = "opentwin:cluster:WindowsWorker";

function res(type: string, name: string, extra: Partial<GraphResource> = {}): GraphResource {
  return { type, name, parent: undefined, custom: type.startsWith("opentwin:") ? false : true, inputs: {}, dependsOn: [], ...extra };
}

describe("step kinds", () => {
  it("tells Windows from Debian steps by the component they belong to", () => {
    const ready = res(CMD, "x-vm-ready");
    expect(classify(ready, ["opentwin:hyperv:HyperVVm", WW])).toBe("first-boot-windows");
    expect(classify(ready, ["opentwin:hyperv:HyperVVm", "opentwin:cluster:LinuxWorker"])).toBe("first-boot-debian");
    expect(classify(res(CMD, "cp-otcp2-join"), ["opentwin:cluster:ControlPlane"])).toBe("control-plane-join");
    expect(classify(res(CMD, "w-join-command"), [WW])).toBe("join-command");
    expect(classify(res(CMD, "w-join"), [WW])).toBe("join-windows");
  });

  it("times Windows workloads by node selector, and every kind has a source", () => {
    const windows = { spec: { template: { spec: { nodeSelector: { "kubernetes.io/os": "windows" } } } } };
    expect(classify(res("kubernetes:apps/v1:Deployment", "d", { inputs: windows }), [])).toBe("workload-windows-cold");
    expect(classify(res("kubernetes:apps/v1:DaemonSet", "d", { inputs: windows }), [])).toBe("daemonset-windows");
    expect(classify(res("kubernetes:apps/v1:StatefulSet", "m"), [])).toBe("workload-linux");
    for (const figure of Object.values(DURATIONS)) expect(figure.source.length).toBeGreaterThan(5);
  });
});

describe("dependency graph", () => {
  it("orders children after their parent and resources after their provider", () => {
    const dag = buildDag([
      res(CMD, "late", { provider: "pulumi:providers:kubernetes::p" }),
      res("pulumi:providers:kubernetes", "p", { dependsOn: [`${CMD}::first`] }),
      res(CMD, "first"),
      res(WW, "w"),
      res(CMD, "w-prepare", { parent: `${WW}::w` }),
    ]);
    const at = (name: string) => dag.findIndex((n) => n.name === name);
    expect(at("first")).toBeLessThan(at("p"));
    expect(at("p")).toBeLessThan(at("late"));
    expect(dag[at("w-prepare")]!.deps).toContain(at("w"));
  });

  it("pulls the Windows image once: a Windows workload after another one starts warm", () => {
    const windows = { spec: { template: { spec: { nodeSelector: { "kubernetes.io/os": "windows" } } } } };
    const dag = buildDag([
      res("kubernetes:apps/v1:Deployment", "a", { inputs: windows }),
      res("kubernetes:apps/v1:Deployment", "b", { inputs: windows, dependsOn: ["kubernetes:apps/v1:Deployment::a"] }),
      res("kubernetes:apps/v1:Deployment", "c", { inputs: windows }),
    ]);
    expect(dag.map((n) => n.kind)).toEqual(["workload-windows-cold", "workload-windows-warm", "workload-windows-cold"]);
  });

  it("refuses cycles and dependencies on resources the run did not record", () => {
    expect(() => buildDag([res(CMD, "a", { dependsOn: [`${CMD}::b`] }), res(CMD, "b", { dependsOn: [`${CMD}::a`] })])).toThrow(/cycle/);
    expect(() => buildDag([res(CMD, "a", { dependsOn: [`${CMD}::ghost`] })])).toThrow(/did not record/);
  });

  it("finds an edge that would serialise two Windows workers", () => {
    const dag = buildDag([
      res(WW, "windows-otwin1"),
      res(CMD, "windows-otwin1-join", { parent: `${WW}::windows-otwin1` }),
      res(WW, "windows-otwin10"),
      res(CMD, "windows-otwin10-join", { parent: `${WW}::windows-otwin10`, dependsOn: [`${CMD}::windows-otwin1-join`] }),
    ]);
    expect(crossWorkerEdges(dag)).toEqual(["windows-otwin1-join -> windows-otwin10-join"]);
  });
});

describe("stack variants", () => {
  it("gives every worker a distinct address inside the /22 and a name of at most 15 characters", () => {
    const network = parseCidr("10.20.0.0/22")!;
    const addresses = Array.from({ length: 100 }, (_, i) => workerAddress(i));
    expect(new Set(addresses).size).toBe(100);
    for (const a of addresses) expect(a.startsWith("10.20.1.") || a.startsWith("10.20.2.")).toBe(true);
    expect(network).toBeDefined();
    expect(workerName(99)).toBe("otwin100");
    expect(workerName(99).length).toBeLessThanOrEqual(15);
  });

  it("spreads workers over the base stack's hosts and keeps the rest of the stack", () => {
    const base = {
      config: {
        "opentwin:hosts": JSON.stringify([{ name: "hv1" }, { name: "hv2" }]),
        "opentwin:network": JSON.stringify({ nodeCidr: "10.20.0.0/24" }),
        "opentwin:windowsWorkers": JSON.stringify({ windowsBuild: "ltsc2022", nodes: [] }),
        "opentwin:opentwin": JSON.stringify({ externalIPs: [] }),
        "opentwin:other": "kept",
      },
      secretKeys: [],
    };
    const variant = withWindowsWorkers(base, 5);
    const nodes = (JSON.parse(variant.config["opentwin:windowsWorkers"]!) as { nodes: { host: string }[] }).nodes;
    expect(nodes.map((n) => n.host)).toEqual(["hv1", "hv2", "hv1", "hv2", "hv1"]);
    expect(JSON.parse(variant.config["opentwin:network"]!)).toEqual({ nodeCidr: "10.20.0.0/22" });
    expect(variant.config["opentwin:other"]).toBe("kept");
  });
});

describe("variants of the production stack", () => {
  const base = readStackFile(join(resolve(__dirname, "..", "..", ".."), "stacks"), "production");

  it.each([1, 3, 10, 30, 100])("with %i Windows workers passes every configuration rule (the benchmark never measures a stack users could not deploy)", (n) => {
    expect(() => loadStack(stackFileSource(withWindowsWorkers(base, n)), { allowMissingSecrets: true })).not.toThrow();
  });

  it("shares the base stack's Windows capacity among fewer workers, and keeps the size from the base count on", () => {
    const size = (n: number) => (JSON.parse(withWindowsWorkers(base, n).config["opentwin:windowsWorkers"]!) as { size: { vcpu: number; memoryGiB: number } }).size;
    const baseSize = (JSON.parse(base.config["opentwin:windowsWorkers"]!) as { size: { vcpu: number; memoryGiB: number }; nodes: unknown[] });
    const total = baseSize.size.vcpu * baseSize.nodes.length;
    expect(size(1).vcpu).toBe(total);
    expect(size(1).memoryGiB).toBe(baseSize.size.memoryGiB * baseSize.nodes.length);
    expect(size(baseSize.nodes.length)).toEqual(baseSize.size);
    expect(size(30)).toEqual(baseSize.size);
  });
});

describe("spread and slope", () => {
  it("reports min, median and max, and a least-squares slope", () => {
    expect(spread([5, 1, 3])).toEqual({ min: 1, median: 3, max: 5 });
    expect(spread([4, 1, 3, 2])).toEqual({ min: 1, median: 2.5, max: 4 });
    expect(slope([{ x: 1, y: 13 }, { x: 10, y: 112 }, { x: 100, y: 1102 }]).slope).toBeCloseTo(11, 6);
  });
});
