/** Script renderers: validation, version-dependent paths, and the order and guards of init. */
import { describe, expect, it } from "vitest";
import { controlPlaneScripts, linuxWorkerScripts } from "../../../components/cluster/debianScripts";
import { renderBashScript, sudoBash } from "../../../components/scripts/debian/bash";
import { withServer } from "../../../components/scripts/debian/kubeconfig";
import { containerdConfigPaths, renderPrepareNode } from "../../../components/scripts/debian/prepareNode";
import { stackScriptArgs } from "./stackValues";

const dev = stackScriptArgs("dev");
const production = stackScriptArgs("production");

function stepOrder(script: string): string[] {
  const main = script.slice(script.indexOf("main() {"));
  return [...main.matchAll(/run_step (\w+)/g)].map((m) => m[1]!);
}

describe("prepare-node", () => {
  it("sets SystemdCgroup and the sandbox image at the containerd 2.x paths for 2.1.4", () => {
    const script = renderPrepareNode({ ...dev.controlPlane.kubernetes, kubernetesVersion: "1.34.4" });
    expect(script).toContain(`RUNC_OPTIONS_TABLE='plugins.'\\''io.containerd.cri.v1.runtime'\\''.containerd.runtimes.runc.options'`);
    expect(script).toContain(`SANDBOX_TABLE='plugins.'\\''io.containerd.cri.v1.images'\\''.pinned_images'`);
    expect(script).toContain("SANDBOX_KEY='sandbox'");
    expect(script).toContain("PAUSE_IMAGE='registry.k8s.io/pause:3.10.1'");
  });

  it("uses the containerd 1.x paths for 1.7", () => {
    expect(containerdConfigPaths("1.7.28")).toEqual({
      runcOptionsTable: 'plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options',
      sandboxTable: 'plugins."io.containerd.grpc.v1.cri"',
      sandboxKey: "sandbox_image",
    });
    expect(() => containerdConfigPaths("3.0.0")).toThrow("containerd version '3.0.0' is not supported");
  });

  it("reports every missing artifact and bad checksum at once", () => {
    const artifacts = dev.controlPlane.kubernetes.artifacts.filter((a) => !a.name.startsWith("kube")).map((a) => (a.name === "runc-amd64" ? { ...a, checksum: "md5:abc" } : a));
    expect(() => renderPrepareNode({ kubernetesVersion: "1.34.4", containerdVersion: "2.1.4", pauseImage: "registry.k8s.io/pause:3.10.1", artifacts })).toThrow(
      "prepare-node: artifact 'kubelet-linux-amd64' is missing; artifact 'kubeadm-linux-amd64' is missing; artifact 'kubectl-linux-amd64' is missing; artifact 'runc-amd64': checksum 'md5:abc' is not sha256:<64 hex> or sha512:<128 hex>",
    );
  });

  it("verifies each download before it is installed (download step precedes every install step)", () => {
    const order = stepOrder(renderPrepareNode({ ...dev.controlPlane.kubernetes, kubernetesVersion: "1.34.4" }));
    const download = order.indexOf("download_artifacts");
    expect(download).toBeGreaterThan(-1);
    for (const step of order.filter((s) => s.startsWith("install_") && s !== "install_host_tools")) expect(order.indexOf(step)).toBeGreaterThan(download);
  });

  it("asks for conntrack only where kubeadm still checks it (before 1.32)", () => {
    const k = dev.controlPlane.kubernetes;
    const old = renderPrepareNode({ ...k, kubernetesVersion: "1.31.5" });
    const current = renderPrepareNode({ ...k, kubernetesVersion: "1.34.4" });
    expect(old).toContain("command -v conntrack");
    expect(current).not.toContain("conntrack");
  });
});

describe("kubeadm init script", () => {
  it("dev: init without --upload-certs and without kube-vip", () => {
    const scripts = controlPlaneScripts(dev.controlPlane);
    expect(stepOrder(scripts.init)).toEqual(["write_kubeadm_config", "kubeadm_init"]);
    expect(scripts.init).not.toContain("--upload-certs");
    expect(scripts.init).not.toContain("kube-vip");
    expect(scripts.joins).toEqual([]);
  });

  it("production: kube-vip with super-admin.conf before init, admin.conf after, certificates uploaded", () => {
    const scripts = controlPlaneScripts(production.controlPlane);
    expect(stepOrder(scripts.init)).toEqual(["write_kubeadm_config", "place_kube_vip_for_init", "kubeadm_init", "switch_kube_vip_to_admin_conf"]);
    expect(scripts.init).toContain("--upload-certs --skip-token-print --skip-certificate-key-print");
    expect(scripts.init).toMatch(/if \[ -f "\$\{ROOT\}\/etc\/kubernetes\/admin.conf" \]; then\n[\s\S]*?get --raw \/readyz[\s\S]*?echo "already initialised/);
    expect(scripts.kubeVip!.duringInit).toContain("path: /etc/kubernetes/super-admin.conf");
    expect(scripts.kubeVip!.steady).not.toContain("super-admin");
    expect(scripts.joins.map((j) => j.node)).toEqual(["otcp2", "otcp3"]);
    for (const join of scripts.joins) expect(stepOrder(join.script)).toEqual(["read_join_material", "write_join_template", "place_kube_vip", "kubeadm_join"]);
  });

  it("refuses three nodes without a VIP and two nodes at all", () => {
    const cp = production.controlPlane;
    expect(() => controlPlaneScripts({ ...cp, virtualIp: undefined, endpoint: { host: "10.20.0.11", port: 6443 } })).toThrow("virtualIp: required with more than one control-plane node");
    expect(() => controlPlaneScripts({ ...cp, nodes: cp.nodes.slice(0, 2) })).toThrow("nodes: expected 1 or 3 control-plane nodes, got 2");
  });
});

describe("Linux worker scripts", () => {
  const worker = linuxWorkerScripts(production.linuxWorkers[0]!);

  it("labels the node for MongoDB and cleans up after kubeadm reset as its advice says", () => {
    expect(worker.registered).toContain("label node otlnx1 --overwrite opentwin.io/role=mongodb");
    expect(stepOrder(worker.reset)).toEqual(["kubeadm_reset", "remove_cni_config", "flush_iptables", "remove_cni_links"]);
    expect(worker.drain).toContain("drain otlnx1 --ignore-daemonsets --delete-emptydir-data --force");
    expect(worker.deleteNode).toContain("delete node otlnx1");
  });

  it("rejects a label Kubernetes would reject", () => {
    expect(() => linuxWorkerScripts({ ...production.linuxWorkers[0]!, labels: { "bad key!": "x" } })).toThrow("label key 'bad key!' is not a Kubernetes label key");
  });
});

describe("bash frame", () => {
  it("rejects step names that are not identifiers, all at once", () => {
    expect(() => renderBashScript({ title: "t", description: [], steps: [{ name: "Bad-Name", body: ":" }, { name: "ok", body: ":" }, { name: "ok", body: ":" }] })).toThrow(
      "t: step name 'Bad-Name' is not a snake_case bash identifier; step name 'ok' is used twice",
    );
  });

  it("sudoBash keeps the script one single-quoted word", () => {
    expect(sudoBash("echo 'x'", "tag")).toBe(`sudo -n bash -c 'echo '\\''x'\\''' 'tag'`);
  });
});

describe("kubeconfig", () => {
  it("points every server at the endpoint", () => {
    const text = "clusters:\n- cluster:\n    certificate-authority-data: X\n    server: https://10.20.0.11:6443\n  name: kubernetes\n";
    expect(withServer(text, { host: "10.20.0.10", port: 6443 })).toBe(text.replace("https://10.20.0.11:6443", "https://10.20.0.10:6443"));
  });
});
