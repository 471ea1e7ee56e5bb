import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatCidr } from "../../../components/lib/cidr";
import { renderNetConf, renderWindowsCniConf } from "../../../components/network/cniConfig";
import { flannelManifests } from "../../../components/network/manifests";
import { flannelProblems } from "../../../components/network/validate";
import { DEV_VALUES } from "./devValues";

type Obj = Record<string, any>;

const validCidr = fc
  .tuple(fc.integer({ min: 8, max: 28 }), fc.integer({ min: 1, max: 223 }), fc.nat(), fc.nat(), fc.nat())
  .map(([prefix, a, b, c, d]) => {
    const raw = a * 2 ** 24 + (b % 256) * 2 ** 16 + (c % 256) * 2 ** 8 + (d % 256);
    const block = 2 ** (32 - prefix);
    return formatCidr({ base: Math.floor(raw / block) * block, prefix });
  });

function byRole(role: string, values = DEV_VALUES): Obj {
  const found = flannelManifests(values).find((m) => m.role === role);
  if (!found) throw new Error(`no ${role}`);
  return found.object as Obj;
}

function podSpecs(values = DEV_VALUES): { name: string; spec: Obj }[] {
  return flannelManifests(values)
    .filter((m) => m.kind === "DaemonSet")
    .map((m) => ({ name: (m.object as Obj).metadata.name as string, spec: (m.object as Obj).spec.template.spec }));
}

describe("net-conf.json", () => {
  it("carries any valid pod CIDR and VNI >= 4096 verbatim", () => {
    fc.assert(
      fc.property(validCidr, fc.integer({ min: 4096, max: 16_777_215 }), (podCidr, vni) => {
        const values = { ...DEV_VALUES, podCidr, vni };
        const configMap = byRole("config", values);
        const parsed = JSON.parse(configMap.data["net-conf.json"]);
        expect(parsed).toEqual({ Network: podCidr, Backend: { Type: "vxlan", VNI: vni, Port: 4789 } });
      }),
    );
  });

  it("is the same text the pure renderer produces", () => {
    expect(byRole("config").data["net-conf.json"]).toBe(renderNetConf(DEV_VALUES));
  });
});

describe("Windows CNI config", () => {
  it("names the network after the VNI, exempts service and pod CIDRs from NAT and routes the service CIDR", () => {
    fc.assert(
      fc.property(validCidr, validCidr, fc.integer({ min: 4096, max: 65_535 }), (podCidr, serviceCidr, vni) => {
        const conf = JSON.parse(renderWindowsCniConf({ podCidr, serviceCidr, vni }));
        expect(conf.name).toBe(`flannel.${vni}`);
        expect(conf.type).toBe("flannel");
        expect(conf.delegate.type).toBe("sdnoverlay");
        const policies = conf.delegate.AdditionalArgs.map((a: Obj) => a.Value);
        expect(policies.find((p: Obj) => p.Type === "OutBoundNAT").Settings.Exceptions).toEqual([serviceCidr, podCidr]);
        expect(policies.find((p: Obj) => p.Type === "SDNROUTE").Settings).toEqual({ DestinationPrefix: serviceCidr, NeedEncap: true });
      }),
    );
  });
});

describe("placement", () => {
  it("Windows DaemonSets select Windows and the exact build, and tolerate the os=windows taint", () => {
    for (const name of ["kube-flannel-ds-windows", "kube-proxy-windows"]) {
      const spec = podSpecs().find((p) => p.name === name)?.spec as Obj;
      expect(spec.os).toEqual({ name: "windows" });
      expect(spec.nodeSelector).toEqual({ "kubernetes.io/os": "windows", "node.kubernetes.io/windows-build": "10.0.20348" });
      expect(spec.tolerations).toContainEqual({ key: "os", operator: "Equal", value: "windows", effect: "NoSchedule" });
    }
  });

  it("selects the build the stack names", () => {
    const values = { ...DEV_VALUES, windows: { enabled: true, build: "ltsc2019" as const } };
    for (const { name, spec } of podSpecs(values)) {
      if (name === "kube-flannel-ds") continue;
      expect(spec.nodeSelector["node.kubernetes.io/windows-build"]).toBe("10.0.17763");
    }
  });

  it("the Linux DaemonSet selects Linux and tolerates the control-plane taint", () => {
    const spec = podSpecs().find((p) => p.name === "kube-flannel-ds")?.spec as Obj;
    expect(spec.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
    expect(spec.tolerations).toContainEqual({ key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" });
    expect(spec.tolerations).not.toContainEqual(expect.objectContaining({ key: "os", value: "windows" }));
  });

  it("HostProcess appears only in the two Windows networking DaemonSets, privileged nowhere", () => {
    const hostProcess = flannelManifests(DEV_VALUES)
      .filter((m) => JSON.stringify(m.object).includes('"hostProcess":true'))
      .map((m) => (m.object as Obj).metadata.name);
    expect(hostProcess).toEqual(["kube-flannel-ds-windows", "kube-proxy-windows"]);
    expect(flannelManifests(DEV_VALUES).filter((m) => JSON.stringify(m.object).includes('"privileged":true'))).toEqual([]);
    for (const { name, spec } of podSpecs()) {
      if (name === "kube-flannel-ds") continue;
      expect(spec.hostNetwork).toBe(true);
      expect(spec.securityContext.windowsOptions).toEqual({ hostProcess: true, runAsUserName: "NT AUTHORITY\\SYSTEM" });
    }
  });

  it("the Windows daemons reach the API server at the control-plane endpoint", () => {
    for (const { name, spec } of podSpecs()) {
      if (name === "kube-flannel-ds") continue;
      const env = (spec.containers[0].env as Obj[]).filter((e) => e.name.startsWith("KUBERNETES_SERVICE_"));
      expect(env).toEqual([
        { name: "KUBERNETES_SERVICE_HOST", value: "192.168.50.11" },
        { name: "KUBERNETES_SERVICE_PORT", value: "6443" },
      ]);
    }
  });

  it("kube-proxy uses the flannel network and waits for it in an init container", () => {
    const spec = podSpecs().find((p) => p.name === "kube-proxy-windows")?.spec as Obj;
    expect(spec.containers[0].env).toContainEqual({ name: "KUBE_NETWORK", value: "flannel.4096" });
    expect(spec.initContainers.map((c: Obj) => c.name)).toEqual(["wait-for-network"]);
    expect(byRole("kube-proxy-config").data["wait.ps1"]).toContain("'flannel.4096'");
  });

  it("every DaemonSet has a bounded Pulumi await", () => {
    for (const m of flannelManifests(DEV_VALUES).filter((m) => m.kind === "DaemonSet")) {
      const seconds = Number((m.object as Obj).metadata.annotations["pulumi.com/timeoutSeconds"]);
      expect(seconds).toBeGreaterThanOrEqual(600);
    }
  });

  it("the namespace admits the HostProcess pods (privileged Pod Security level)", () => {
    expect(byRole("namespace").metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("privileged");
  });
});

describe("flannelProblems", () => {
  it("accepts the dev stack", () => {
    expect(flannelProblems(DEV_VALUES)).toEqual([]);
  });

  it("names each bad argument", () => {
    const problems = flannelProblems({
      ...DEV_VALUES,
      podCidr: "10.244.0.1/16",
      vni: 1,
      port: 8472,
      images: { ...DEV_VALUES.images, windowsKubeProxy: "registry/kube-proxy:v1.33.0" },
    });
    expect(problems).toEqual([
      'podCidr: "10.244.0.1/16" is not an IPv4 network in CIDR form',
      "vni: 1 is below 4096, the smallest VNI Windows accepts",
      "port: 8472 is not 4789, the only VXLAN port Windows accepts",
      'images.windowsKubeProxy: tag of "registry/kube-proxy:v1.33.0" does not name Kubernetes 1.34.4; kube-proxy must match the cluster',
    ]);
  });

  it("allows Linux VXLAN defaults when Windows is off, but not overlapping networks", () => {
    const linuxOnly = { ...DEV_VALUES, vni: 1, port: 8472, windows: { ...DEV_VALUES.windows, enabled: false } };
    expect(flannelProblems(linuxOnly)).toEqual([]);
    expect(flannelProblems({ ...linuxOnly, serviceCidr: "10.244.128.0/20" })).toEqual([
      "serviceCidr: 10.244.128.0/20 overlaps podCidr 10.244.0.0/16",
    ]);
  });
});
