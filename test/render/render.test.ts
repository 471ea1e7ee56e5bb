/**
 * The offline render of the committed stacks, checked the way a reviewer would read it:
 * what production builds where, the Flannel net-conf, pod placement, no secret anywhere,
 * byte-identical repeats, and golden copies of every script and Kubernetes object.
 */
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { renderStack, renderStackFile } from "../../tools/render/render";
import type { RenderedFiles } from "../../tools/render/files";
import { readStackFile } from "../../tools/render/stackFile";
import { REPO_ROOT } from "../support/stacks";
import { expectGoldenTree } from "../support/golden";
import { join } from "node:path";

const STACKS = join(REPO_ROOT, "stacks");
const rendered: Record<string, RenderedFiles> = {};

beforeAll(async () => {
  for (const stack of ["dev", "production"]) rendered[stack] = await renderStack(STACKS, stack);
}, 120_000);

interface Plan {
  type: string;
  name: string;
  parent: string | null;
  inputs: Record<string, any>;
}
const planOf = (stack: string): Plan[] => JSON.parse(rendered[stack]!.files["plan.json"]!);
const kubernetesObjects = (stack: string): any[] =>
  Object.entries(rendered[stack]!.files)
    .filter(([path]) => path.startsWith("kubernetes/"))
    .map(([, text]) => parse(text));

describe("production", () => {
  it("has three control-plane VMs and three or more Windows workers spread over at least two hosts", () => {
    const plan = planOf("production");
    const controlPlaneVms = plan.filter((r) => r.type === "opentwin:hyperv:HyperVVm" && r.parent === "opentwin:cluster:ControlPlane::control-plane");
    expect(controlPlaneVms).toHaveLength(3);
    const workers = plan.filter((r) => r.type === "opentwin:cluster:WindowsWorker");
    expect(workers.length).toBeGreaterThanOrEqual(3);
    const hostsWithWindowsVms = new Set(
      Object.keys(rendered.production!.files)
        .map((path) => /^hosts\/([^/]+)\/\d+-windows-[^/]+-vm-machine\.ps1$/.exec(path)?.[1])
        .filter((host) => host !== undefined),
    );
    expect(hostsWithWindowsVms.size).toBeGreaterThanOrEqual(2);
  });
});

describe.each(["dev", "production"])("%s", (stack) => {
  it("renders Flannel's net-conf with VNI 4096, port 4789 and the stack's pod network", () => {
    const config = readStackFile(STACKS, stack).config;
    const podCidr = JSON.parse(config["opentwin:network"]!).podCidr;
    const configMap = kubernetesObjects(stack).find((o) => o.kind === "ConfigMap" && o.metadata.name === "kube-flannel-cfg");
    const netConf = JSON.parse(configMap.data["net-conf.json"]);
    expect(netConf).toEqual({ Network: podCidr, Backend: { Type: "vxlan", VNI: 4096, Port: 4789 } });
  });

  it("places every Windows pod on Windows of the stack's build and every Linux pod on Linux", () => {
    const templates = kubernetesObjects(stack).filter((o) => o.spec?.template?.spec !== undefined);
    expect(templates.length).toBeGreaterThan(5);
    for (const workload of templates) {
      const pod = workload.spec.template.spec;
      const os = pod.nodeSelector?.["kubernetes.io/os"];
      if (pod.os?.name === "windows" || os === "windows") {
        expect(os, workload.metadata.name).toBe("windows");
        expect(pod.nodeSelector["node.kubernetes.io/windows-build"], workload.metadata.name).toBe("10.0.20348");
      } else {
        expect(os, workload.metadata.name).toBe("linux");
      }
    }
  });

  it("runs no OpenTwin pod privileged and uses HostProcess only in the networking DaemonSets", () => {
    for (const workload of kubernetesObjects(stack).filter((o) => o.spec?.template?.spec !== undefined)) {
      const pod = workload.spec.template.spec;
      const containers = [...(pod.initContainers ?? []), ...pod.containers];
      const hostProcess = pod.securityContext?.windowsOptions?.hostProcess === true || containers.some((c: any) => c.securityContext?.windowsOptions?.hostProcess === true);
      const privileged = containers.some((c: any) => c.securityContext?.privileged === true);
      const networking = workload.metadata.namespace === "kube-flannel";
      if (!networking) {
        expect(privileged, workload.metadata.name).toBe(false);
        expect(pod.hostNetwork ?? false, workload.metadata.name).toBe(false);
      }
      if (hostProcess) expect(["kube-flannel-ds-windows", "kube-proxy-windows"]).toContain(workload.metadata.name);
    }
  });

  it("gives byte-identical output on a second render", async () => {
    const again = await renderStack(STACKS, stack);
    expect(again.files).toEqual(rendered[stack]!.files);
  });

  it("keeps golden copies of every script and Kubernetes object", () => {
    const tree = Object.fromEntries(Object.entries(rendered[stack]!.files).filter(([path]) => path.startsWith("hosts/") || path.startsWith("kubernetes/")));
    expectGoldenTree(join("render", stack), tree);
  });
});

describe("secrets", () => {
  const SENTINELS = {
    hostKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nSENTINEL-HOST-KEY\n-----END OPENSSH PRIVATE KEY-----",
    vmKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nSENTINEL-VM-KEY\n-----END OPENSSH PRIVATE KEY-----",
    adminPassword: "Sentinel-Admin-P@ss'word",
    mongoPassword: "Sentinel-Mongo-Password",
    mongoEncrypted: "Sentinel-Mongo-Encrypted",
  };

  it.each(["dev", "production"])("no rendered file of %s holds a private key, token or password, even with every secret set", async (stack) => {
    const file = readStackFile(STACKS, stack);
    const config = { ...file.config };
    const edit = (key: string, change: (value: any) => void) => {
      const value = JSON.parse(config[key]!);
      change(value);
      config[key] = JSON.stringify(value);
    };
    edit("opentwin:hosts", (hosts) => hosts.forEach((h: any) => (h.sshPrivateKey = SENTINELS.hostKey)));
    edit("opentwin:vmAccess", (v) => (v.sshPrivateKey = SENTINELS.vmKey));
    edit("opentwin:windowsWorkers", (w) => (w.adminPassword = SENTINELS.adminPassword));
    config["opentwin:mongodb"] = JSON.stringify({ ...JSON.parse(config["opentwin:mongodb"] ?? "{}"), adminPassword: SENTINELS.mongoPassword, adminPasswordEncrypted: SENTINELS.mongoEncrypted });
    const result = await renderStackFile({ config, secretKeys: ["opentwin:hosts", "opentwin:vmAccess", "opentwin:windowsWorkers", "opentwin:mongodb"] }, stack);
    const everything = Object.values(result.files).join("\n");
    for (const value of Object.values(SENTINELS)) expect(everything).not.toContain(value.split("\n")[1] ?? value);
    expect(everything).not.toMatch(/BEGIN (RSA |EC |OPENSSH )?PRIVATE KEY/);
    // A kubeadm bootstrap token; the join configuration files hold the all-zero placeholder only.
    expect(everything.replaceAll("000000.0000000000000000", "")).not.toMatch(/\b[a-z0-9]{6}\.[a-z0-9]{16}\b/);
    expect(everything).toContain("[secret]");
  });
});
