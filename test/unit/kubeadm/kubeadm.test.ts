/** kubeadm config renderer: the API version and extraArgs shape per minor, and what goes into the files. */
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { apiServerCertSans, JOIN_PLACEHOLDERS, kubeadmApiVersion, renderInitConfiguration, renderJoinConfiguration } from "../../../components/scripts/kubeadm";
import { renderKubeVipManifest, SUPER_ADMIN_CONF } from "../../../components/scripts/kubeVip";

const nodes = [
  { name: "otcp1", address: "10.20.0.11" },
  { name: "otcp2", address: "10.20.0.12" },
  { name: "otcp3", address: "10.20.0.13" },
];
const base = {
  endpoint: { host: "10.20.0.10", port: 6443 },
  controlPlaneNodes: nodes,
  virtualIp: "10.20.0.10",
  network: { podCidr: "10.244.0.0/16", serviceCidr: "10.96.0.0/12", clusterDomain: "cluster.local" },
  node: nodes[0]!,
};

function docs(text: string): Record<string, any>[] {
  return parseAllDocuments(text).map((d) => d.toJSON() as Record<string, any>);
}

describe("kubeadm config API per Kubernetes minor", () => {
  it("1.30 uses v1beta3 with kubeletExtraArgs as a map", () => {
    const [init, cluster, kubelet] = docs(renderInitConfiguration({ ...base, kubernetesVersion: "1.30.14" }));
    expect(init!.apiVersion).toBe("kubeadm.k8s.io/v1beta3");
    expect(cluster!.apiVersion).toBe("kubeadm.k8s.io/v1beta3");
    expect(init!.nodeRegistration.kubeletExtraArgs).toEqual({ "node-ip": "10.20.0.11" });
    expect(kubelet).toEqual({ apiVersion: "kubelet.config.k8s.io/v1beta1", kind: "KubeletConfiguration", cgroupDriver: "systemd" });
  });

  it("1.34 uses v1beta4 with kubeletExtraArgs as a list of {name, value}", () => {
    const [init, cluster] = docs(renderInitConfiguration({ ...base, kubernetesVersion: "1.34.4" }));
    expect(init!.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
    expect(cluster!.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
    expect(init!.nodeRegistration.kubeletExtraArgs).toEqual([{ name: "node-ip", value: "10.20.0.11" }]);
  });

  it("join files follow the same rule", () => {
    const v3 = docs(renderJoinConfiguration({ kubernetesVersion: "1.30.2", endpoint: base.endpoint, node: nodes[1]! }))[0]!;
    const v4 = docs(renderJoinConfiguration({ kubernetesVersion: "1.31.0", endpoint: base.endpoint, node: nodes[1]! }))[0]!;
    expect([v3.apiVersion, v4.apiVersion]).toEqual(["kubeadm.k8s.io/v1beta3", "kubeadm.k8s.io/v1beta4"]);
    expect(v3.nodeRegistration.kubeletExtraArgs).toEqual({ "node-ip": "10.20.0.12" });
    expect(v4.nodeRegistration.kubeletExtraArgs).toEqual([{ name: "node-ip", value: "10.20.0.12" }]);
  });

  it("refuses a version the catalog does not know, naming the known minors", () => {
    expect(() => kubeadmApiVersion("1.29.3")).toThrow("Kubernetes version '1.29.3' is not in the catalog (known minors: 1.30, 1.31");
  });
});

describe("ClusterConfiguration", () => {
  const [init, cluster] = docs(renderInitConfiguration({ ...base, kubernetesVersion: "1.34.4" }));

  it("points every node at the endpoint and carries the stack's networks", () => {
    expect(cluster!.controlPlaneEndpoint).toBe("10.20.0.10:6443");
    expect(cluster!.kubernetesVersion).toBe("v1.34.4");
    expect(cluster!.networking).toEqual({ podSubnet: "10.244.0.0/16", serviceSubnet: "10.96.0.0/12", dnsDomain: "cluster.local" });
    expect(init!.nodeRegistration.criSocket).toBe("unix:///run/containerd/containerd.sock");
    expect(init!.localAPIEndpoint).toEqual({ advertiseAddress: "10.20.0.11", bindPort: 6443 });
  });

  it("puts the VIP and every control-plane address and name into the API server certificate", () => {
    expect(cluster!.apiServer.certSANs).toEqual(["10.20.0.10", "10.20.0.11", "otcp1", "10.20.0.12", "otcp2", "10.20.0.13", "otcp3"]);
  });

  it("adds a DNS endpoint to the SANs and lists nothing twice", () => {
    const sans = apiServerCertSans({ endpoint: { host: "api.example.org", port: 6443 }, controlPlaneNodes: nodes.slice(0, 1), virtualIp: undefined });
    expect(sans).toEqual(["api.example.org", "10.20.0.11", "otcp1"]);
    expect(apiServerCertSans({ endpoint: { host: "10.20.0.11", port: 6443 }, controlPlaneNodes: nodes.slice(0, 1) })).toEqual(["10.20.0.11", "otcp1"]);
  });

  it("has no bootstrap token", () => {
    expect(init).not.toHaveProperty("bootstrapTokens");
    expect(renderInitConfiguration({ ...base, kubernetesVersion: "1.34.4" })).not.toMatch(/token/i);
  });
});

describe("JoinConfiguration", () => {
  it("carries only the placeholders where the secrets go, and the control-plane part only for control planes", () => {
    const cp = docs(renderJoinConfiguration({ kubernetesVersion: "1.34.4", endpoint: base.endpoint, node: nodes[2]!, controlPlane: { bindPort: 6443 } }))[0]!;
    expect(cp.discovery.bootstrapToken).toEqual({ apiServerEndpoint: "10.20.0.10:6443", token: JOIN_PLACEHOLDERS.token, caCertHashes: [JOIN_PLACEHOLDERS.caCertHash] });
    expect(cp.controlPlane).toEqual({ localAPIEndpoint: { advertiseAddress: "10.20.0.13", bindPort: 6443 }, certificateKey: JOIN_PLACEHOLDERS.certificateKey });
    const worker = docs(renderJoinConfiguration({ kubernetesVersion: "1.34.4", endpoint: base.endpoint, node: { name: "otlnx1", address: "10.20.0.31" } }))[0]!;
    expect(worker).not.toHaveProperty("controlPlane");
    expect(worker.nodeRegistration).not.toHaveProperty("ignorePreflightErrors");
  });

  it("placeholders are well-formed (kubeadm config validate accepts them) and distinct", () => {
    expect(JOIN_PLACEHOLDERS.token).toMatch(/^[a-z0-9]{6}\.[a-z0-9]{16}$/);
    expect(JOIN_PLACEHOLDERS.caCertHash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JOIN_PLACEHOLDERS.certificateKey).toMatch(/^[0-9a-f]{64}$/);
    expect(JOIN_PLACEHOLDERS.caCertHash).not.toContain(JOIN_PLACEHOLDERS.certificateKey);
    expect(JOIN_PLACEHOLDERS.caCertHash).not.toContain(JOIN_PLACEHOLDERS.token);
  });
});

describe("kube-vip manifest", () => {
  const manifest = (extra = {}) => docs(renderKubeVipManifest({ virtualIp: "10.20.0.10", port: 6443, image: "ghcr.io/kube-vip/kube-vip:v0.9.2", ...extra }))[0]!;
  const env = (pod: Record<string, any>) => Object.fromEntries(pod.spec.containers[0].env.map((e: { name: string; value: string }) => [e.name, e.value]));

  it("announces the VIP by ARP with leader election, and detects the interface unless one is given", () => {
    const vars = env(manifest());
    expect(vars).toMatchObject({ vip_arp: "true", address: "10.20.0.10", port: "6443", cp_enable: "true", vip_leaderelection: "true" });
    expect(vars).not.toHaveProperty("vip_interface");
    expect(env(manifest({ interface: "eth0" })).vip_interface).toBe("eth0");
  });

  it("mounts super-admin.conf only when asked (first node during init)", () => {
    expect(manifest().spec.volumes[0].hostPath.path).toBe("/etc/kubernetes/admin.conf");
    const during = manifest({ kubeconfig: SUPER_ADMIN_CONF });
    expect(during.spec.volumes[0].hostPath.path).toBe("/etc/kubernetes/super-admin.conf");
    expect(during.spec.containers[0].volumeMounts[0].mountPath).toBe("/etc/kubernetes/admin.conf");
  });
});
