import { beforeAll, describe, expect, it } from "vitest";
import { runUnderMocks, type RecordedResource } from "../../../tools/render/mockRuntime";
import { DEV_VALUES } from "../../unit/network/devValues";

const recorded: { resources: RecordedResource[]; timeouts: Map<string, unknown>; providers: Map<string, unknown> } = {
  resources: [],
  timeouts: new Map(),
  providers: new Map(),
};
let failure: unknown;

const args = {
  podCidr: DEV_VALUES.podCidr,
  serviceCidr: DEV_VALUES.serviceCidr,
  vni: DEV_VALUES.vni,
  port: DEV_VALUES.port,
  images: DEV_VALUES.images,
  apiServer: DEV_VALUES.apiServer,
  windows: DEV_VALUES.windows,
  kubernetesVersion: DEV_VALUES.kubernetesVersion,
};

beforeAll(async () => {
  recorded.resources = await runUnderMocks({ project: "opentwin", stack: "dev" }, async () => {
    const pulumi = await import("@pulumi/pulumi");
    const k8s = await import("@pulumi/kubernetes");
    const { Flannel } = await import("../../../components/network/flannel");
    pulumi.runtime.registerStackTransformation((t) => {
      recorded.timeouts.set(t.name, (t.opts as { customTimeouts?: unknown }).customTimeouts);
      recorded.providers.set(t.name, (t.opts as { provider?: { constructor: { name: string } } }).provider);
      return undefined;
    });
    const provider = new k8s.Provider("cluster", { kubeconfig: "{}" });
    new Flannel("net", args, { provider });
    try {
      new Flannel("no-provider", args);
    } catch (error) {
      failure = error;
    }
  });
});

const children = () => recorded.resources.filter((r) => r.parent === "opentwin:network:Flannel::net");

describe("Flannel under mocks", () => {
  it("registers every object with an explicit name, children named <component>-<role>", () => {
    expect(children().map((r) => `${r.type} ${r.name} ${(r.inputs.metadata as { name: string }).name}`)).toEqual([
      "kubernetes:core/v1:Namespace net-namespace kube-flannel",
      "kubernetes:core/v1:ServiceAccount net-service-account flannel",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole net-cluster-role flannel",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding net-cluster-role-binding flannel",
      "kubernetes:core/v1:ConfigMap net-config kube-flannel-cfg",
      "kubernetes:apps/v1:DaemonSet net-linux kube-flannel-ds",
      "kubernetes:core/v1:ConfigMap net-windows-config kube-flannel-windows-cfg",
      "kubernetes:apps/v1:DaemonSet net-windows kube-flannel-ds-windows",
      "kubernetes:core/v1:ServiceAccount net-kube-proxy-service-account kube-proxy-windows",
      "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding net-kube-proxy-cluster-role-binding kube-proxy-windows",
      "kubernetes:core/v1:ConfigMap net-kube-proxy-config kube-proxy-windows-cfg",
      "kubernetes:apps/v1:DaemonSet net-kube-proxy kube-proxy-windows",
    ]);
  });

  it("passes the caller's provider to every object", () => {
    for (const child of children()) expect(recorded.providers.get(child.name), child.name).toBeDefined();
  });

  it("bounds every DaemonSet await with customTimeouts (Windows longer than Linux)", () => {
    expect(recorded.timeouts.get("net-linux")).toEqual({ create: "10m", update: "10m", delete: "10m" });
    expect(recorded.timeouts.get("net-windows")).toEqual({ create: "30m", update: "30m", delete: "10m" });
    expect(recorded.timeouts.get("net-kube-proxy")).toEqual({ create: "30m", update: "30m", delete: "10m" });
  });

  it("carries the stack's values into the net-conf the cluster receives", () => {
    const config = children().find((r) => r.name === "net-config");
    const netConf = JSON.parse((config?.inputs.data as Record<string, string>)["net-conf.json"] as string);
    expect(netConf).toEqual({ Network: "10.244.0.0/16", Backend: { Type: "vxlan", VNI: 4096, Port: 4789 } });
  });

  it("refuses to run without an explicit provider", () => {
    expect(String(failure)).toContain("opts.provider must be the cluster's Kubernetes provider");
  });
});
