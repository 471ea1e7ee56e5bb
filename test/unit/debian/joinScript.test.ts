/** The join scripts under bash with a stub kubeadm: secrets from stdin reach kubeadm's config, and nowhere else. */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlPlaneScripts, linuxWorkerScripts } from "../../../components/cluster/debianScripts";
import { stackScriptArgs } from "./stackValues";

const TOKEN = "abcdef.0123456789abcdef";
const HASH = `sha256:${"1a".repeat(32)}`;
const KEY = "2b".repeat(32);

/**
 * Runs `script` with OPENTWIN_ROOT at a fresh root and a kubeadm stub that saves the config it was given;
 * a kubectl stub logs its calls and answers `get node` with exit `nodeStatus`; sleep is a no-op.
 */
function runJoin(script: string, stdin: string, prepare?: (root: string) => void, nodeStatus = 0) {
  const dir = mkdtempSync(join(tmpdir(), "opentwin-join-"));
  const root = join(dir, "root");
  const bin = join(dir, "bin");
  const tmp = join(dir, "tmp");
  for (const d of [root, bin, tmp]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(bin, "kubeadm"),
    `#!/bin/bash\necho "kubeadm $*" >> "${dir}/calls"\nwhile [ $# -gt 0 ]; do if [ "$1" = --config ]; then cp "$2" "${dir}/seen-config"; fi; shift; done\n`,
  );
  writeFileSync(join(bin, "kubectl"), `#!/bin/bash\necho "kubectl $*" >> "${dir}/kubectl-calls"\nexit ${nodeStatus}\n`);
  writeFileSync(join(bin, "sleep"), "#!/bin/bash\n");
  for (const tool of ["kubeadm", "kubectl", "sleep"]) chmodSync(join(bin, tool), 0o755);
  prepare?.(root);
  const result = spawnSync("bash", ["-c", script, "join"], {
    input: stdin,
    env: { PATH: `${bin}:${process.env.PATH}`, OPENTWIN_ROOT: root, TMPDIR: tmp },
  });
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8") : undefined);
  return { status: result.status, stderr: result.stderr.toString(), stdout: result.stdout.toString(), root, calls: read("calls"), kubectlCalls: read("kubectl-calls"), config: read("seen-config"), tmpLeft: readdirSync(tmp) };
}

describe("control-plane join script (production otcp2)", () => {
  const script = controlPlaneScripts(stackScriptArgs("production").controlPlane).joins[0]!.script;
  const material = `kubeadm join 10.20.0.10:6443 --token ${TOKEN} --discovery-token-ca-cert-hash ${HASH} \n${KEY}\n`;

  it("hands kubeadm a config with the token, CA hash and certificate key from stdin, then deletes it", () => {
    const run = runJoin(script, material);
    expect(run.stderr).not.toContain("failed");
    expect(run.status).toBe(0);
    expect(run.config).toContain(`token: "${TOKEN}"`);
    expect(run.config).toContain(`- ${HASH}`);
    expect(run.config).toContain(`certificateKey: ${KEY}`);
    expect(run.tmpLeft).toEqual([]);
    const onDisk = readFileSync(join(run.root, "etc/opentwin/kubeadm-join.yaml"), "utf8");
    expect(onDisk).not.toContain(TOKEN);
    expect(onDisk).not.toContain(KEY);
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(existsSync(join(run.root, "etc/kubernetes/manifests/kube-vip.yaml"))).toBe(true);
  });

  it("stops, naming the step, when stdin has no certificate key", () => {
    const run = runJoin(script, `kubeadm join 10.20.0.10:6443 --token ${TOKEN} --discovery-token-ca-cert-hash ${HASH}\n`);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("step 'read_join_material' failed");
    expect(run.calls).toBeUndefined();
  });

  const joined = (withEtcd: boolean) => (root: string) => {
    mkdirSync(join(root, "etc/kubernetes/manifests"), { recursive: true });
    writeFileSync(join(root, "etc/kubernetes/kubelet.conf"), "joined");
    if (withEtcd) writeFileSync(join(root, "etc/kubernetes/manifests/etcd.yaml"), "etcd");
  };

  it("does nothing when the node has joined already (kubelet.conf, etcd manifest, node registered)", () => {
    const run = runJoin(script, "", joined(true));
    expect(run.status).toBe(0);
    expect(run.calls).toBeUndefined();
    expect(run.kubectlCalls).toMatch(/^kubectl --kubeconfig \S+\/etc\/kubernetes\/kubelet.conf get node otcp2\n$/);
    expect(run.stderr).toContain("already joined");
  });

  it("stops with the recovery when kubelet.conf exists but the join stopped before the etcd member", () => {
    const run = runJoin(script, "", joined(false));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("/etc/kubernetes/kubelet.conf exists but /etc/kubernetes/manifests/etcd.yaml does not");
    expect(run.stderr).toContain("'kubeadm reset -f' on this node, then 'pulumi up' again");
    expect(run.stderr).toContain("step 'kubeadm_join' failed");
    expect(run.calls).toBeUndefined();
  });

  it("stops with the recovery when kubelet.conf exists but the node is not registered", () => {
    const run = runJoin(script, "", joined(true), 1);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("node otcp2 is not registered");
    expect(run.stderr).toContain("'kubeadm reset -f' on this node");
    expect(run.calls).toBeUndefined();
  });
});

describe("worker join script (production otlnx1)", () => {
  const args = stackScriptArgs("production").linuxWorkers[0]!;
  const script = linuxWorkerScripts(args).join;

  it("joins with the token and hash of a printed join command", () => {
    const run = runJoin(script, `kubeadm join 10.20.0.10:6443 --token ${TOKEN} --discovery-token-ca-cert-hash ${HASH} \n`);
    expect(run.status).toBe(0);
    expect(run.calls).toMatch(/^kubeadm join --config /);
    expect(run.config).toContain(`token: "${TOKEN}"`);
    expect(run.config).not.toContain("controlPlane");
  });

  it("does nothing when joined and registered; stops with the recovery when kubelet.conf exists but the node is not registered", () => {
    const prepare = (root: string) => {
      mkdirSync(join(root, "etc/kubernetes"), { recursive: true });
      writeFileSync(join(root, "etc/kubernetes/kubelet.conf"), "joined");
    };
    const done = runJoin(script, "", prepare);
    expect(done.status).toBe(0);
    expect(done.calls).toBeUndefined();
    expect(done.kubectlCalls).toContain(`get node ${args.node.name}`);
    const half = runJoin(script, "", prepare, 1);
    expect(half.status).not.toBe(0);
    expect(half.stderr).toContain(`node ${args.node.name} is not registered`);
    expect(half.calls).toBeUndefined();
  });

  it("rejects a malformed token instead of writing it into YAML", () => {
    const run = runJoin(script, `kubeadm join 10.20.0.10:6443 --token "x: y" --discovery-token-ca-cert-hash ${HASH}\n`);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("no valid bootstrap token");
  });
});
