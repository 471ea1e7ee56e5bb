/**
 * Every bad input the issue names stops the load with a message that names the key, the value and
 * what is allowed. Each case starts from a known-good stack file and changes one thing.
 */
import { describe, expect, it } from "vitest";
import { loadStack } from "../../../infra/config/load";
import { ConfigError, formatProblem } from "../../../infra/config/problems";
import { edited, sourceOf, stackConfig } from "../../support/stacks";

const dev = stackConfig("dev");
const production = stackConfig("production");

function problemsOf(config: Record<string, unknown>): string[] {
  try {
    loadStack(sourceOf(config), { allowMissingSecrets: true });
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map(formatProblem);
    throw error;
  }
  return [];
}

describe("known-good stacks", () => {
  it.each([["dev", dev], ["production", production]])("%s loads without problems", (_name, config) => {
    expect(problemsOf(config)).toEqual([]);
  });
});

const cases: [string, Record<string, unknown>, (c: any) => void, string[]][] = [
  [
    "pod network overlapping the service network",
    dev,
    (c) => (c.network.podCidr = "10.96.0.0/16"),
    ['opentwin:network.serviceCidr: "10.96.0.0/12" overlaps opentwin:network.podCidr (10.96.0.0/16); allowed: node, pod and service networks that share no address'],
  ],
  [
    "service network overlapping the node network",
    dev,
    (c) => (c.network.serviceCidr = "192.168.0.0/16"),
    ['opentwin:network.serviceCidr: "192.168.0.0/16" overlaps opentwin:network.nodeCidr (192.168.50.0/24); allowed: node, pod and service networks that share no address'],
  ],
  [
    "a VM address outside the node network",
    dev,
    (c) => (c.windowsWorkers.nodes[0].address = "192.168.51.21"),
    ['opentwin:windowsWorkers.nodes[0].address: "192.168.51.21" is outside the node network 192.168.50.0/24; allowed: a host address in opentwin:network.nodeCidr'],
  ],
  [
    "a VM address used twice",
    dev,
    (c) => (c.windowsWorkers.nodes[0].address = "192.168.50.11"),
    ['opentwin:windowsWorkers.nodes[0].address: "192.168.50.11" is already used by opentwin:controlPlane.nodes[0].address; allowed: an address no other VM, gateway or virtual IP uses'],
  ],
  [
    "Flannel VNI below 4096 with Windows workers",
    dev,
    (c) => (c.flannel.vni = 1),
    ["opentwin:flannel.vni: 1 is below what Windows VXLAN accepts; allowed: 4096 or more while Windows workers exist"],
  ],
  [
    "Flannel port other than 4789 with Windows workers",
    dev,
    (c) => (c.flannel.port = 8472),
    ["opentwin:flannel.port: 8472 is not the VXLAN port Windows uses; allowed: 4789 while Windows workers exist"],
  ],
  [
    "early renewal not below validity",
    dev,
    (c) => (c.pki = { validityHours: 100, earlyRenewalHours: 100 }),
    ["opentwin:pki.earlyRenewalHours: 100 is not below pki.validityHours (100), which would issue new certificates on every run; allowed: fewer hours than pki.validityHours"],
  ],
  [
    "an even control-plane count",
    production,
    (c) => c.controlPlane.nodes.pop(),
    ['opentwin:controlPlane.nodes: ["otcp1","otcp2"] has 2 nodes; allowed: 1 node, or 3 nodes with controlPlane.virtualIp (an odd etcd quorum)'],
  ],
  [
    "an HA control plane without a virtual IP",
    production,
    (c) => delete c.controlPlane.virtualIp,
    ["opentwin:controlPlane.virtualIp: (not set) is required with 3 control-plane nodes; allowed: an unused address in the node network that kube-vip announces"],
  ],
  [
    "a Windows computer name over 15 characters",
    dev,
    (c) => (c.windowsWorkers.nodes[0].name = "opentwin-windows-1"),
    ['opentwin:windowsWorkers.nodes[0].name: "opentwin-windows-1" is 18 characters long; allowed: a Windows computer name of at most 15 characters'],
  ],
  [
    "an image tag for another Windows build",
    dev,
    (c) => (c.opentwin.image = "reg/opentwin:2.0-ltsc2019"),
    [`opentwin:opentwin.image: "reg/opentwin:2.0-ltsc2019" is built for ltsc2019 (10.0.17763), not for the workers' ltsc2022; allowed: an image whose tag names ltsc2022 (10.0.20348), the workers' Windows build`],
  ],
  [
    "an image tag that names no Windows build",
    dev,
    (c) => (c.opentwin.image = "reg/opentwin:2.0"),
    [`opentwin:opentwin.image: "reg/opentwin:2.0" has a tag that names no Windows build; allowed: an image whose tag names ltsc2022 (10.0.20348), the workers' Windows build`],
  ],
  [
    "dynamic memory on a Kubernetes node",
    dev,
    (c) => (c.windowsWorkers.size.dynamicMemory = true),
    ["opentwin:windowsWorkers.size.dynamicMemory: true is on for a Kubernetes node (the kubelet reads its memory once at start); allowed: false"],
  ],
  [
    "an unknown Windows build",
    dev,
    (c) => (c.windowsWorkers.windowsBuild = "ltsc2016"),
    ['opentwin:windowsWorkers.windowsBuild: "ltsc2016" is not one of the allowed values; allowed: "ltsc2019", "ltsc2022", "ltsc2025"'],
  ],
  [
    "an unknown Kubernetes version",
    dev,
    (c) => (c.kubernetes.version = "1.29.1"),
    ['opentwin:kubernetes.version: "1.29.1" is not a Kubernetes version this program can install; allowed: a version MAJOR.MINOR.PATCH of 1.30, 1.31, 1.32, 1.33, 1.34, 1.35'],
  ],
  [
    "a VM placed on a host that does not exist",
    dev,
    (c) => (c.windowsWorkers.nodes[0].host = "hv9"),
    ['opentwin:windowsWorkers.nodes[0].host: "hv9" is not a host in opentwin:hosts; allowed: hv1'],
  ],
  [
    "sizes below what a Windows or Debian node needs",
    dev,
    (c) => {
      c.windowsWorkers.size.memoryGiB = 2;
      c.controlPlane.size.vcpu = 1;
    },
    [
      "opentwin:controlPlane.size.vcpu: 1 is below the minimum for a Debian control-plane node; allowed: 2 or more",
      "opentwin:windowsWorkers.size.memoryGiB: 2 is below the minimum for a Windows worker; allowed: 4 or more",
    ],
  ],
  [
    "unknown keys, top-level and nested",
    dev,
    (c) => {
      c.network.podCIDR = "10.1.0.0/16";
      c.windowsWorker = {};
    },
    [
      "opentwin:windowsWorker: {} is not a known key (a typo?); allowed: the keys opentwin:cluster, opentwin:hosts, opentwin:network, opentwin:kubernetes, opentwin:controlPlane, opentwin:windowsWorkers, opentwin:linuxWorkers, opentwin:vmAccess, opentwin:flannel, opentwin:opentwin, opentwin:mongodb, opentwin:pki, opentwin:timeouts, opentwin:protectData",
      'opentwin:network.podCIDR: "10.1.0.0/16" is not a known key (a typo?); allowed: the keys nodeCidr, gateway, dnsServers, podCidr, serviceCidr, clusterDomain',
    ],
  ],
  [
    "several problems at once",
    dev,
    (c) => {
      c.flannel.vni = 1;
      c.windowsWorkers.nodes[0].name = "opentwin-windows-1";
      c.network.podCidr = "10.96.0.0/16";
    },
    [
      'opentwin:network.serviceCidr: "10.96.0.0/12" overlaps opentwin:network.podCidr (10.96.0.0/16); allowed: node, pod and service networks that share no address',
      'opentwin:windowsWorkers.nodes[0].name: "opentwin-windows-1" is 18 characters long; allowed: a Windows computer name of at most 15 characters',
      "opentwin:flannel.vni: 1 is below what Windows VXLAN accepts; allowed: 4096 or more while Windows workers exist",
    ],
  ],
];

describe("bad input stops the run with every problem named", () => {
  it.each(cases)("%s", (_name, base, edit, expected) => {
    expect(problemsOf(edited(base, edit))).toEqual(expected);
  });
});

describe("secrets", () => {
  it("a real run names every missing secret", () => {
    expect(() => loadStack(sourceOf(dev), { allowMissingSecrets: false })).toThrowError(ConfigError);
    try {
      loadStack(sourceOf(dev), { allowMissingSecrets: false });
    } catch (error) {
      expect((error as ConfigError).problems.map((p) => p.key)).toEqual([
        "opentwin:hosts[0].sshPrivateKey",
        "opentwin:vmAccess.sshPrivateKey",
        "opentwin:windowsWorkers.adminPassword",
        "opentwin:mongodb.adminPassword",
        "opentwin:mongodb.adminPasswordEncrypted",
      ]);
    }
  });

  it("a secret written in plain text into the stack file is refused without echoing it", () => {
    const config = edited(dev, (c) => (c.mongodb.adminPassword = "hunter2-plain"));
    try {
      loadStack(sourceOf(config), { allowMissingSecrets: true });
      expect.unreachable();
    } catch (error) {
      const text = String(error);
      expect(text).toContain("opentwin:mongodb.adminPassword");
      expect(text).toContain("stored in plain text");
      expect(text).not.toContain("hunter2-plain");
    }
  });

  it("secrets given as secure values load and never stay in the plain configuration", () => {
    const config = edited(dev, (c) => {
      c.mongodb.adminPassword = "s3cret";
      c.mongodb.adminPasswordEncrypted = "ENC";
      c.hosts[0].sshPrivateKey = "KEY";
    });
    const loaded = loadStack(sourceOf(config, ["mongodb", "hosts"]), { allowMissingSecrets: true });
    expect(JSON.stringify(loaded.config)).not.toMatch(/s3cret|KEY|ENC/);
    expect(Object.keys(loaded.secrets.hostSshKeys)).toEqual(["hv1"]);
  });
});
