/**
 * The kubeadm init script under bash with stub kubeadm/kubectl: "done" only for a complete cluster,
 * the late init phases again for a partial one, a clear stop when the API does not answer.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { controlPlaneScripts } from "../../../components/cluster/debianScripts";
import { INIT_PHASE_OBJECTS } from "../../../components/scripts/debian/kubeadmScripts";
import { stackScriptArgs } from "./stackValues";

interface Cluster {
  /** admin.conf exists before the run (an earlier init got at least that far). */
  readonly adminConf: boolean;
  /** The API answers /readyz. */
  readonly ready: boolean;
  /** Objects `kubectl get` does not find (matched against its arguments). */
  readonly missing: readonly string[];
}

function runInit(script: string, cluster: Cluster) {
  const dir = mkdtempSync(join(tmpdir(), "opentwin-init-"));
  const root = join(dir, "root");
  const bin = join(dir, "bin");
  for (const d of [root, bin]) mkdirSync(d, { recursive: true });
  writeFileSync(
    join(bin, "kubeadm"),
    `#!/bin/bash
echo "kubeadm $*" >> "${dir}/kubeadm-calls"
if [ "$1" = init ] && [ "$2" != phase ]; then mkdir -p "$OPENTWIN_ROOT/etc/kubernetes"; echo admin > "$OPENTWIN_ROOT/etc/kubernetes/admin.conf"; fi
`,
  );
  const missing = cluster.missing.map((m) => `*"${m}"*) exit 1 ;;`).join("\n  ");
  writeFileSync(
    join(bin, "kubectl"),
    `#!/bin/bash
echo "kubectl $*" >> "${dir}/kubectl-calls"
case "$*" in
  *"--raw /readyz"*) exit ${cluster.ready ? 0 : 1} ;;
  ${missing}
esac
exit 0
`,
  );
  writeFileSync(join(bin, "sleep"), "#!/bin/bash\n");
  for (const tool of ["kubeadm", "kubectl", "sleep"]) chmodSync(join(bin, tool), 0o755);
  if (cluster.adminConf) {
    mkdirSync(join(root, "etc/kubernetes"), { recursive: true });
    writeFileSync(join(root, "etc/kubernetes/admin.conf"), "admin");
  }
  const result = spawnSync("bash", ["-c", script, "init"], { env: { PATH: `${bin}:${process.env.PATH}`, OPENTWIN_ROOT: root, TMPDIR: dir } });
  const lines = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), "utf8").trim().split("\n") : []);
  return { status: result.status, stderr: result.stderr.toString(), kubeadm: lines("kubeadm-calls"), kubectl: lines("kubectl-calls") };
}

const CONFIG = /--config \S+\/etc\/opentwin\/kubeadm-init\.yaml/;

describe("kubeadm init script", () => {
  const dev = controlPlaneScripts(stackScriptArgs("dev").controlPlane).init;
  const production = controlPlaneScripts(stackScriptArgs("production").controlPlane).init;

  it("runs kubeadm init once on a fresh node, and no single phase", () => {
    const run = runInit(dev, { adminConf: false, ready: true, missing: [] });
    expect(run.status).toBe(0);
    expect(run.kubeadm).toHaveLength(1);
    expect(run.kubeadm[0]).toMatch(/^kubeadm init --config \S+ --skip-token-print --skip-certificate-key-print$/);
  });

  it("does nothing on a complete cluster: admin.conf, the API answers, every late-phase object exists", () => {
    const run = runInit(production, { adminConf: true, ready: true, missing: [] });
    expect(run.status).toBe(0);
    expect(run.kubeadm).toEqual([]);
    expect(run.stderr).toContain("already initialised");
    expect(run.kubectl[0]).toMatch(/get --raw \/readyz$/);
    // Every object of the late phases was looked for.
    for (const [what] of INIT_PHASE_OBJECTS) expect(run.kubectl.some((c) => c.endsWith(`get ${what}`))).toBe(true);
  });

  it("runs the late init phases, in kubeadm's order and with the same config, when admin.conf exists but CoreDNS and kube-proxy are missing", () => {
    const run = runInit(production, { adminConf: true, ready: true, missing: ["deployment coredns", "configmap kube-proxy", "daemonset kube-proxy"] });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain("missing: Deployment kube-system/coredns (phase addon) ConfigMap kube-system/kube-proxy (phase addon)");
    expect(run.kubeadm.map((c) => c.replace(CONFIG, "--config C"))).toEqual([
      "kubeadm init phase upload-config all --config C",
      "kubeadm init phase upload-certs --upload-certs --config C --skip-certificate-key-print",
      "kubeadm init phase mark-control-plane --config C",
      "kubeadm init phase bootstrap-token --config C --skip-token-print",
      "kubeadm init phase kubelet-finalize all --config C",
      "kubeadm init phase addon all --config C",
    ]);
    // Never a full init or a reset over an existing control plane.
    expect(run.kubeadm.some((c) => /^kubeadm (reset|init --config)/.test(c))).toBe(false);
  });

  it("single control-plane node: the same repair without uploading certificates", () => {
    const run = runInit(dev, { adminConf: true, ready: true, missing: ["configmap kubeadm-config"] });
    expect(run.status).toBe(0);
    expect(run.kubeadm).toHaveLength(5);
    expect(run.kubeadm.some((c) => c.includes("upload-certs"))).toBe(false);
  });

  it("stops with what is missing and how to recover when admin.conf exists but the API does not answer", () => {
    const run = runInit(dev, { adminConf: true, ready: false, missing: [] });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain("/etc/kubernetes/admin.conf exists but the API server did not answer /readyz within 2 minutes");
    expect(run.stderr).toContain("run 'kubeadm reset -f' on this node, then 'pulumi up' again");
    expect(run.stderr).toContain("step 'kubeadm_init' failed");
    expect(run.kubeadm).toEqual([]);
    // It waited (24 tries of 5 seconds) before giving up: the API may be starting after a reboot.
    expect(run.kubectl.filter((c) => c.endsWith("/readyz"))).toHaveLength(24);
  });
});
