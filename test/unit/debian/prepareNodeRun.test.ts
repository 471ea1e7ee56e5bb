/**
 * prepare-node under bash in a throwaway root, with stubs for the commands that touch the system
 * (systemctl, modprobe, sysctl, swapon/swapoff, curl, containerd, apt-get): it verifies downloads,
 * installs, and a second run changes and restarts nothing.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { artifactsFor } from "../../../components/lib/artifacts";
import { renderPrepareNode } from "../../../components/scripts/debian/prepareNode";

const CONTAINERD_DEFAULT = `version = 3
[plugins]
  [plugins.'io.containerd.cri.v1.images']
    [plugins.'io.containerd.cri.v1.images'.pinned_images]
      sandbox = 'registry.k8s.io/pause:3.10'
  [plugins.'io.containerd.cri.v1.runtime']
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
      BinaryName = ''
      SystemdCgroup = false
`;

function setup() {
  const dir = mkdtempSync(join(tmpdir(), "opentwin-prepare-"));
  const [root, bin, src, state] = ["root", "bin", "src", "state"].map((d) => join(dir, d)) as [string, string, string, string];
  for (const d of [root, bin, src, state, join(root, "etc"), join(root, "sys/module/overlay"), join(root, "sys/module/br_netfilter")]) mkdirSync(d, { recursive: true });
  for (const key of ["net/bridge/bridge-nf-call-iptables", "net/bridge/bridge-nf-call-ip6tables", "net/ipv4/ip_forward"]) {
    mkdirSync(join(root, "proc/sys", key, ".."), { recursive: true });
    writeFileSync(join(root, "proc/sys", key), "1\n");
  }
  writeFileSync(join(root, "etc/fstab"), "UUID=a / ext4 defaults 0 1\nUUID=b none swap sw 0 0\n");
  const stub = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\necho "${name} $*" >> "${dir}/calls"\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  for (const name of ["swapoff", "modprobe", "sysctl", "apt-get", "iptables"]) stub(name, "");
  stub("swapon", "");
  stub("systemctl", `s="${state}"; case "$1" in
 is-enabled) if [ "$2" = --quiet ]; then [ -f "$s/enabled-$3" ]; else [ -f "$s/masked-$2" ] && echo masked || echo static; fi ;;
 is-active) [ -f "$s/active-$3" ] ;;
 enable) touch "$s/enabled-$2" ;; mask) touch "$s/masked-$2" ;; start|restart) touch "$s/active-$2" ;;
esac`);
  stub("curl", `while [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift ;; --retry|--retry-delay) shift ;; -*) ;; *) url="$1" ;; esac; shift; done
cp "${src}/$(basename "$url")" "$out"`);
  writeFileSync(join(dir, "containerd-default.toml"), CONTAINERD_DEFAULT);
  stub("containerd", `cat "${dir}/containerd-default.toml"`);

  // Artifacts: small tarballs and files with their real checksums.
  const artifacts = artifactsFor("linux", { kubernetes: "1.34.4", containerd: "2.1.4", runc: "1.3.4", cniPlugins: "1.7.1", crictl: "1.34.0" });
  const stage = join(dir, "stage");
  mkdirSync(join(stage, "bin"), { recursive: true });
  writeFileSync(join(stage, "bin/containerd"), "containerd");
  writeFileSync(join(stage, "loopback"), "loopback");
  writeFileSync(join(stage, "crictl"), "crictl");
  for (const a of artifacts) {
    const file = join(src, basename(a.url));
    if (a.name === "containerd-linux-amd64") execFileSync("tar", ["-C", stage, "-czf", file, "bin"]);
    else if (a.name === "cni-plugins-linux-amd64") execFileSync("tar", ["-C", stage, "-czf", file, "loopback"]);
    else if (a.name === "crictl-linux-amd64") execFileSync("tar", ["-C", stage, "-czf", file, "crictl"]);
    else writeFileSync(file, a.name);
  }
  const withChecksums = artifacts.map((a) => ({ ...a, checksum: `sha256:${createHash("sha256").update(readFileSync(join(src, basename(a.url)))).digest("hex")}` }));
  const run = (script: string) => {
    writeFileSync(join(dir, "calls"), "");
    const result = spawnSync("bash", ["-c", script, "prepare-node"], { env: { PATH: `${bin}:${process.env.PATH}`, OPENTWIN_ROOT: root } });
    return { status: result.status, stderr: result.stderr.toString(), calls: readFileSync(join(dir, "calls"), "utf8").trim().split("\n").filter(Boolean) };
  };
  return { dir, root, src, withChecksums, run };
}

const base = { kubernetesVersion: "1.34.4", containerdVersion: "2.1.4", pauseImage: "registry.k8s.io/pause:3.10.1" };
const MUTATING = /^(swapoff|modprobe|sysctl|apt-get|curl|systemctl (mask|enable|start|restart|daemon-reload))/;

describe("prepare-node under bash with stub commands", () => {
  it("installs everything, and a second run changes and restarts nothing", () => {
    const t = setup();
    const script = renderPrepareNode({ ...base, artifacts: t.withChecksums });
    const first = t.run(script);
    expect(first.stderr).not.toContain("failed");
    expect(first.status).toBe(0);
    expect(first.calls.filter((c) => c.startsWith("curl"))).toHaveLength(7);
    expect(first.calls).toContain("systemctl start containerd");
    const config = readFileSync(join(t.root, "etc/containerd/config.toml"), "utf8");
    expect(config).toMatch(/\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runc\.options\]\n\s+BinaryName = ''\n\s+SystemdCgroup = true/);
    expect(config).toContain(`sandbox = "registry.k8s.io/pause:3.10.1"`);
    expect(readFileSync(join(t.root, "etc/fstab"), "utf8")).toContain("# swap off for the kubelet: UUID=b none swap sw 0 0");
    for (const file of ["usr/local/bin/kubelet", "usr/local/bin/kubeadm", "usr/local/bin/kubectl", "usr/local/sbin/runc", "usr/local/bin/containerd", "usr/local/bin/crictl", "opt/cni/bin/loopback", "etc/systemd/system/kubelet.service.d/10-kubeadm.conf"]) {
      expect(() => readFileSync(join(t.root, file)), file).not.toThrow();
    }

    const second = t.run(script);
    expect(second.status).toBe(0);
    expect(second.calls.filter((c) => MUTATING.test(c))).toEqual([]);
  });

  it("refuses a download whose checksum does not match, before installing it, naming the step", () => {
    const t = setup();
    const artifacts = t.withChecksums.map((a) => (a.name === "kubelet-linux-amd64" ? { ...a, checksum: `sha256:${"0".repeat(64)}` } : a));
    const result = t.run(renderPrepareNode({ ...base, artifacts }));
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("kubelet-linux-amd64: the file from");
    expect(result.stderr).toContain("step 'download_artifacts' failed");
    expect(() => readFileSync(join(t.root, "usr/local/bin/kubelet"))).toThrow();
  });

  it("restarts containerd when its config changed (new pause image), and only then", () => {
    const t = setup();
    t.run(renderPrepareNode({ ...base, artifacts: t.withChecksums }));
    const changed = t.run(renderPrepareNode({ ...base, pauseImage: "registry.k8s.io/pause:3.10", artifacts: t.withChecksums }));
    expect(changed.calls.filter((c) => MUTATING.test(c))).toEqual(["systemctl restart containerd"]);
  });
});
