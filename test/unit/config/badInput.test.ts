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

function problemsOf(config: Record<string, unknown>, securePaths: string[] = []): string[] {
  try {
    loadStack(sourceOf(config, securePaths), { allowMissingSecrets: true });
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
    (c) => {
      c.kubernetes.version = "1.29.1";
      c.flannel.images.windowsKubeProxy = "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.29.1";
    },
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

const DIGEST = `sha256:${"ab".repeat(32)}`;
const DOWNLOAD_ALLOWED = "sha256:<hex> or sha512:<hex> as the upstream project publishes it for that file";
const IMAGE_ALLOWED =
  "[host[:port]/]path:tag or [host[:port]/]path[:tag]@sha256:<64 hex digits>, with a lower-case path and a tag of letters, digits, '_', '.' and '-' (at most 128)";
const PORT_ALLOWED = "a port no other OpenTwin service, MongoDB or LDS port window uses";
const NOT_SUFFICIENT = "(fitting the total is necessary, not sufficient: each pod must also fit whole on one worker)";

/** Findings of the tester's bad stack files: one case each, exact messages. */
const testerCases: [string, Record<string, unknown>, (c: any) => void, string[]][] = [
  [
    "an OpenTwin image with tag and digest is accepted",
    dev,
    (c) => (c.opentwin.image = `reg/opentwin:2.0.0-ltsc2022@${DIGEST}`),
    [],
  ],
  [
    "an OpenTwin image by digest only",
    dev,
    (c) => (c.opentwin.image = `reg/opentwin@${DIGEST}`),
    [
      `opentwin:opentwin.image: ${JSON.stringify(`reg/opentwin@${DIGEST}`).slice(0, 77)}... has no tag; the tag must name the Windows build (a digest alone does not say which); allowed: an image whose tag names ltsc2022 (10.0.20348), the workers' Windows build`,
    ],
  ],
  [
    "image references with upper-case names or neither tag nor digest",
    dev,
    (c) => {
      c.mongodb.image = "docker.io/library/Mongo:7.0.14";
      c.flannel.images.windowsFlanneld = "registry.opentwin.local/k8s/flannel-hostprocess";
      c.controlPlane.kubeVipImage = "ghcr.io/kube-vip/kube-vip:v0.9.2@sha256:short";
    },
    [
      `opentwin:controlPlane.kubeVipImage: "ghcr.io/kube-vip/kube-vip:v0.9.2@sha256:short" is not an image reference; allowed: ${IMAGE_ALLOWED}`,
      `opentwin:flannel.images.windowsFlanneld: "registry.opentwin.local/k8s/flannel-hostprocess" is not an image reference; allowed: ${IMAGE_ALLOWED}`,
      `opentwin:mongodb.image: "docker.io/library/Mongo:7.0.14" is not an image reference; allowed: ${IMAGE_ALLOWED}`,
    ],
  ],
  [
    "a Windows kube-proxy image for another Kubernetes version",
    dev,
    (c) => (c.flannel.images.windowsKubeProxy = "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.33.2"),
    [
      `opentwin:flannel.images.windowsKubeProxy: "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.33.2" has a tag that does not name the cluster's Kubernetes version v1.34.4; allowed: an image whose tag names v1.34.4 (kubernetes.version): kube-proxy must match the cluster`,
    ],
  ],
  [
    "a VNI above 24 bits",
    dev,
    (c) => (c.flannel.vni = 16777216),
    ["opentwin:flannel.vni: 16777216 is too big; allowed: a number <= 16777215"],
  ],
  [
    "CPU and memory values that are not positive Kubernetes quantities",
    dev,
    (c) => {
      c.opentwin.services.logger = { cpu: "lots", memory: "-4Gi" };
      c.opentwin.services.gss = { cpu: "1.5", memory: "4GB" };
      c.mongodb.cpu = "0";
      c.mongodb.memory = "1 GiB";
    },
    [
      'opentwin:opentwin.services.logger.cpu: "lots" is not a Kubernetes CPU quantity above zero; allowed: cores such as 2 or 1.5, or millicores such as 500m',
      'opentwin:opentwin.services.logger.memory: "-4Gi" is not a Kubernetes memory quantity above zero; allowed: bytes with a suffix Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), such as 512Mi, 4Gi or 1G',
      'opentwin:opentwin.services.gss.memory: "4GB" is not a Kubernetes memory quantity above zero; allowed: bytes with a suffix Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), such as 512Mi, 4Gi or 1G',
      'opentwin:mongodb.cpu: "0" is not a Kubernetes CPU quantity above zero; allowed: cores such as 2 or 1.5, or millicores such as 500m',
      'opentwin:mongodb.memory: "1 GiB" is not a Kubernetes memory quantity above zero; allowed: bytes with a suffix Ki, Mi, Gi, Ti (powers of 1024) or k, M, G, T (powers of 1000), such as 512Mi, 4Gi or 1G',
    ],
  ],
  [
    "a control character in a path or name",
    dev,
    (c) => {
      c.hosts[0].vmPath = "D:\\Hyper-V\nOpenTwin";
      c.hosts[0].switchName = "OpenTwin\tExternal";
    },
    [
      'opentwin:hosts[0].vmPath: "D:\\\\Hyper-V\\nOpenTwin" contains a control character (newline, tab, NUL, ...); allowed: one line of text without control characters',
      'opentwin:hosts[0].switchName: "OpenTwin\\tExternal" contains a control character (newline, tab, NUL, ...); allowed: one line of text without control characters',
    ],
  ],
  [
    "a host SSH address that is neither IPv4 nor a DNS name",
    dev,
    (c) => (c.hosts[0].sshAddress = "hv1 .example"),
    ['opentwin:hosts[0].sshAddress: "hv1 .example" is neither an IPv4 address nor a DNS name; allowed: an IPv4 address or a DNS name of the Hyper-V host'],
  ],
  [
    "a VM public key that is not an OpenSSH public key",
    dev,
    (c) => (c.vmAccess.sshPublicKey = "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ opentwin-dev"),
    [
      'opentwin:vmAccess.sshPublicKey: "ssh-ed25519 AAAAB3NzaC1yc2EAAAADAQABAAABAQ opentwin-dev" is not an OpenSSH public key; allowed: one line "<type> <base64 key> [comment]" with type ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521',
    ],
  ],
  [
    "a Windows node name of digits only",
    dev,
    (c) => (c.windowsWorkers.nodes[0].name = "2022"),
    ['opentwin:windowsWorkers.nodes[0].name: "2022" is only digits, which Windows refuses as a computer name; allowed: a Windows computer name with at least one letter or hyphen'],
  ],
  [
    "sizes of zero, below zero and above what Hyper-V supports",
    dev,
    (c) => (c.windowsWorkers.size = { vcpu: 0, memoryGiB: -8, diskGiB: 70000 }),
    [
      "opentwin:windowsWorkers.size.vcpu: 0 is below the minimum for a Windows worker; allowed: 2 or more",
      "opentwin:windowsWorkers.size.memoryGiB: -8 is below the minimum for a Windows worker; allowed: 4 or more",
      "opentwin:windowsWorkers.size.diskGiB: 70000 is above what a Hyper-V generation 2 VM supports; allowed: 65536 or less",
    ],
  ],
  [
    "a new Kubernetes version with the old checksums",
    dev,
    (c) => {
      c.kubernetes.version = "1.34.5";
      c.flannel.images.windowsKubeProxy = "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.34.5";
    },
    [
      `opentwin:kubernetes.downloads.checksums.kubelet-linux-amd64-v1.34.5: (not set) is missing for https://dl.k8s.io/release/v1.34.5/bin/linux/amd64/kubelet; allowed: ${DOWNLOAD_ALLOWED}`,
      `opentwin:kubernetes.downloads.checksums.kubeadm-linux-amd64-v1.34.5: (not set) is missing for https://dl.k8s.io/release/v1.34.5/bin/linux/amd64/kubeadm; allowed: ${DOWNLOAD_ALLOWED}`,
      `opentwin:kubernetes.downloads.checksums.kubectl-linux-amd64-v1.34.5: (not set) is missing for https://dl.k8s.io/release/v1.34.5/bin/linux/amd64/kubectl; allowed: ${DOWNLOAD_ALLOWED}`,
      `opentwin:kubernetes.downloads.checksums.kubernetes-node-windows-amd64-v1.34.5: (not set) is missing for https://dl.k8s.io/v1.34.5/kubernetes-node-windows-amd64.tar.gz; allowed: ${DOWNLOAD_ALLOWED}`,
      'opentwin:kubernetes.downloads.checksums.kubeadm-linux-amd64-v1.34.4: "sha256:b967f1fa0e36621c402d38bb560eb4a943954d5cf5a00e5150842f6f5da73455" is for a version this stack does not download (it downloads kubeadm-linux-amd64-v1.34.5); allowed: kubeadm-linux-amd64-v1.34.5 with the checksum of that file, in place of this one',
      'opentwin:kubernetes.downloads.checksums.kubelet-linux-amd64-v1.34.4: "sha256:03b8fea715a7ef82eeaf518dee34c72670c57cc7bc40dc1320c04fbf4f15172f" is for a version this stack does not download (it downloads kubelet-linux-amd64-v1.34.5); allowed: kubelet-linux-amd64-v1.34.5 with the checksum of that file, in place of this one',
      'opentwin:kubernetes.downloads.checksums.kubectl-linux-amd64-v1.34.4: "sha256:d50c359d95e0841eaad08ddc27c7be37cba8fdccfba5c8e2ded65e121ff112db" is for a version this stack does not download (it downloads kubectl-linux-amd64-v1.34.5); allowed: kubectl-linux-amd64-v1.34.5 with the checksum of that file, in place of this one',
      'opentwin:kubernetes.downloads.checksums.kubernetes-node-windows-amd64-v1.34.4: "sha512:9acbdb187c6e56872bb72372eea5a63ff17b7f485526e2907cae5a97d755d7a534ebb... is for a version this stack does not download (it downloads kubernetes-node-windows-amd64-v1.34.5); allowed: kubernetes-node-windows-amd64-v1.34.5 with the checksum of that file, in place of this one',
    ],
  ],
  [
    "a missing Windows build",
    dev,
    (c) => delete c.windowsWorkers.windowsBuild,
    ['opentwin:windowsWorkers.windowsBuild: (not set) is required; allowed: "ltsc2019", "ltsc2022", "ltsc2025"'],
  ],
  [
    "VM addresses equal to the network or broadcast address",
    dev,
    (c) => {
      c.controlPlane.nodes[0].address = "192.168.50.0";
      c.windowsWorkers.nodes[0].address = "192.168.50.255";
    },
    [
      'opentwin:controlPlane.nodes[0].address: "192.168.50.0" is the network address of the node network 192.168.50.0/24; allowed: a host address in opentwin:network.nodeCidr',
      'opentwin:windowsWorkers.nodes[0].address: "192.168.50.255" is the broadcast address of the node network 192.168.50.0/24; allowed: a host address in opentwin:network.nodeCidr',
    ],
  ],
  [
    "a service port inside the LDS port window",
    dev,
    (c) => (c.opentwin.services.gds = { port: 9100 }),
    [`opentwin:opentwin.services.gds.port: 9100 is inside the port window of LDS instance 0 (9096 to 9115); allowed: ${PORT_ALLOWED}`],
  ],
  [
    "the MongoDB port used by a service",
    dev,
    (c) => (c.mongodb.port = 8090),
    [`opentwin:mongodb.port: 8090 is already used by opentwin:opentwin.services.logger.port; allowed: ${PORT_ALLOWED}`],
  ],
  [
    "a country that is not a two-letter upper-case code",
    production,
    (c) => (c.pki.subject.country = "de"),
    ['opentwin:pki.subject.country: "de" is not a two-letter country code; allowed: an ISO 3166-1 alpha-2 code in upper case, such as DE'],
  ],
  [
    "a schema error and a rule error in other keys are both reported",
    dev,
    (c) => {
      c.opentwin.services.logger.cpu = "lots";
      c.network.podCidr = "10.96.0.0/16";
      c.windowsWorkers.nodes[0].name = "2022";
    },
    [
      'opentwin:opentwin.services.logger.cpu: "lots" is not a Kubernetes CPU quantity above zero; allowed: cores such as 2 or 1.5, or millicores such as 500m',
      'opentwin:network.serviceCidr: "10.96.0.0/12" overlaps opentwin:network.podCidr (10.96.0.0/16); allowed: node, pod and service networks that share no address',
      'opentwin:windowsWorkers.nodes[0].name: "2022" is only digits, which Windows refuses as a computer name; allowed: a Windows computer name with at least one letter or hyphen',
    ],
  ],
  [
    "sizes far beyond the numbers zod calls safe report the role's range",
    dev,
    (c) => (c.windowsWorkers.size = { vcpu: -1e300, memoryGiB: 8, diskGiB: 1e300 }),
    [
      "opentwin:windowsWorkers.size.vcpu: -1e+300 is below the minimum for a Windows worker; allowed: 2 or more",
      "opentwin:windowsWorkers.size.diskGiB: 1e+300 is above what a Hyper-V generation 2 VM supports; allowed: 65536 or less",
    ],
  ],
  [
    "a size that is not a whole number",
    dev,
    (c) => (c.controlPlane.size.memoryGiB = 4.5),
    ["opentwin:controlPlane.size.memoryGiB: 4.5 is not a whole number; allowed: a whole number"],
  ],
  [
    "one OpenTwin pod larger than a Windows worker can hold",
    dev,
    (c) => (c.opentwin.services.lds = { cpu: "6", memory: "8Gi" }),
    [
      'opentwin:opentwin.services.lds.memory: "8Gi" is more than one Windows worker can give a pod (its memoryGiB minus 2Gi the kubelet reserves for Windows); allowed: at most 6Gi on a 4 vCPU, 8 GiB worker',
      'opentwin:opentwin.services.lds.cpu: "6" is more than one Windows worker can give a pod (its vcpu); allowed: at most 4 on a 4 vCPU, 8 GiB worker',
      `opentwin:opentwin.services: {"pods":6,"cpu":"7.25","memory":"10.25Gi"} request more memory and CPU than all Windows workers have together ${NOT_SUFFICIENT}; allowed: at most 4 CPU and 6Gi memory in total on 1 Windows worker of 4 vCPU, 8 GiB`,
    ],
  ],
  [
    "OpenTwin pods that each fit a Windows worker but not all together",
    dev,
    (c) => {
      c.opentwin.services.gss.memory = "2Gi";
      c.opentwin.services.lss.memory = "2Gi";
    },
    [`opentwin:opentwin.services: {"pods":6,"cpu":"2.25","memory":"7.25Gi"} request more memory than all Windows workers have together ${NOT_SUFFICIENT}; allowed: at most 4 CPU and 6Gi memory in total on 1 Windows worker of 4 vCPU, 8 GiB`],
  ],
  [
    "replicas count towards the Windows workers' capacity (production: 3 workers of 8 vCPU, 32 GiB)",
    production,
    (c) => (c.opentwin.services.lds.replicas = 6),
    [`opentwin:opentwin.services: {"pods":12,"cpu":"30","memory":"106Gi"} request more memory and CPU than all Windows workers have together ${NOT_SUFFICIENT}; allowed: at most 24 CPU and 90Gi memory in total on 3 Windows workers of 8 vCPU, 32 GiB`],
  ],
];

describe("the tester's bad stack files stop at the configuration check", () => {
  it.each(testerCases)("%s", (_name, base, edit, expected) => {
    expect(problemsOf(edited(base, edit))).toEqual(expected);
  });
});

describe("the Windows workers' capacity", () => {
  it("is not checked on an existing cluster, whose node sizes the stack does not know", () => {
    const big = (c: any) => (c.opentwin.services.lds = { cpu: "64", memory: "512Gi" });
    expect(problemsOf(edited(dev, big)).filter((p) => p.startsWith("opentwin:opentwin.services"))).toHaveLength(3);
    const existing = edited(dev, (c) => {
      big(c);
      c.cluster = { target: "existing", mongoNode: "otcp1", apiServer: { host: "192.168.50.11" } };
      delete c.hosts;
      delete c.controlPlane;
      c.windowsWorkers = { windowsBuild: "ltsc2022" };
    });
    expect(problemsOf(existing).filter((p) => p.startsWith("opentwin:opentwin.services"))).toEqual([]);
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

  it("a plain-text secret next to a secure sibling is refused (the check is per path)", () => {
    const config = edited(dev, (c) => {
      c.mongodb.adminPassword = "s3cret";
      c.mongodb.adminPasswordEncrypted = "ENC-plain";
    });
    expect(problemsOf(config, ["mongodb.adminPassword"])).toEqual([
      "opentwin:mongodb.adminPasswordEncrypted: \"(hidden)\" is a secret stored in plain text in the stack file; allowed: a secure value: pulumi config set --secret --path 'opentwin:mongodb.adminPasswordEncrypted' ...",
    ]);
  });

  it.each([
    ["a number", (c: any) => (c.mongodb.adminPassword = 123456789), "opentwin:mongodb.adminPassword", "has the wrong type; allowed: a value of type string"],
    ["a list", (c: any) => (c.hosts[0].sshPrivateKey = ["PlainKeyLine1", "PlainKeyLine2"]), "opentwin:hosts[0].sshPrivateKey", "has the wrong type; allowed: a value of type string"],
    [
      "a map with a secure value and a plain one",
      (c: any) => (c.mongodb.adminPasswordEncrypted = { secure: "v1:abc", extra: "PlainX" }),
      "opentwin:mongodb.adminPasswordEncrypted",
      "has the wrong type; allowed: a value of type string",
    ],
  ])("%s at a secret path is reported as (hidden)", (_name, edit, key, rest) => {
    const config = edited(dev, edit);
    expect(problemsOf(config)).toEqual([`${key}: "(hidden)" ${rest}`]);
    try {
      loadStack(sourceOf(config), { allowMissingSecrets: true });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toMatch(/123456789|PlainKeyLine|PlainX|v1:abc/);
      expect(JSON.stringify((error as ConfigError).problems)).not.toMatch(/123456789|PlainKeyLine|PlainX|v1:abc/);
    }
  });

  it("a value below a secret path of a record (pki.certificates.<name>.privateKey) is hidden too", () => {
    const config = edited(production, (c) => (c.pki = { ...c.pki, mode: "supplied", caCertificate: "x", certificates: { "a.b": { certificate: "c", privateKey: 42 } } }));
    expect(problemsOf(config)).toContain('opentwin:pki.certificates.a.b.privateKey: "(hidden)" has the wrong type; allowed: a value of type string');
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
