/** Each check catches a broken script: known-bad fixtures, one defect each, must be reported. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { makeSandbox, runScript, isStateChanging } from "../../tools/checks/bashRunner";
import { RUNC_OPTIONS_TABLE, tomlValue } from "../../tools/checks/containerdConfig";
import { dockerfileProblems, dockerignoreProblems } from "../../tools/checks/dockerfile";
import { CACHE, kubernetesValidator } from "../../tools/checks/openapi";
import { parsePowerShell, placementOf } from "../../tools/checks/powershellParser";
import { frameProblems, rebootGuardProblems, waitProblems } from "../../tools/checks/powershellRules";
import { psQuote, psScript } from "../../components/scripts/powershell";
import { cloudInitSchema, shellcheck, xmllint } from "../../tools/checks/tools";

const SANDBOXES = join(inject("renderRoot"), "..", "sandboxes-negative");
const CONTAINERD_2 = readFileSync(join(__dirname, "fixtures", "containerd-2.1-default.toml"), "utf8");
const good = psScript("demo", `$vmPath = ${psQuote("D:\\VMs\\O'Twin $x")}\nNew-Item -ItemType Directory -Force -Path $vmPath | Out-Null`);

describe("PowerShell", () => {
  it("the good fixture passes every rule", async () => {
    expect((await parsePowerShell(good)).problems).toEqual([]);
    expect(frameProblems(good)).toEqual([]);
    expect((await placementOf(good, "D:\\VMs\\O'Twin $x")).outside).toEqual([]);
  });
  it("an unbalanced brace is a syntax error", async () => {
    expect((await parsePowerShell(good.replace("trap {", "trap {{"))).problems.length).toBeGreaterThan(0);
    expect((await parsePowerShell("if ($a) {\n  Write-Output 'x'\n")).problems.length).toBeGreaterThan(0);
  });
  it("an unterminated string is a syntax error", async () => {
    expect((await parsePowerShell("$a = 'it''s\n")).problems.length).toBeGreaterThan(0);
  });
  it("a stack value in a double-quoted string is reported", async () => {
    const bad = `$vmPath = "D:\\VMs\\Twin $x"\n`;
    expect((await placementOf(bad, "D:\\VMs\\Twin $x")).outside).toEqual([1]);
  });
  it("a stack value whose apostrophe is not doubled breaks the parse or is reported", async () => {
    const bad = `$switch = 'Open'Twin'\nWrite-Output $switch\n`;
    const parsed = await parsePowerShell(bad);
    const placement = await placementOf(bad, "Open'Twin");
    expect(parsed.problems.length > 0 || placement.outside.length > 0).toBe(true);
  });
  it("an unquoted stack value is reported", async () => {
    expect((await placementOf("New-VM -Name otcp1 -SwitchName External\n", "External")).outside).toEqual([1]);
  });
  it("a script without the error frame is reported", () => {
    expect(frameProblems("Write-Output 'hello'\n")).toContain("the first statement is not $ErrorActionPreference = 'Stop'");
    expect(frameProblems("$ErrorActionPreference = 'Stop'\nWrite-Output 'x'\n")).toContain("no trap or catch that exits 1");
  });
  it("an unguarded reboot is reported, and a wait without a deadline", async () => {
    expect(await rebootGuardProblems(psScript("prep", "Install-WindowsFeature -Name Containers\nRestart-Computer -Force"))).toContain(
      "the reboot is not preceded by a guard that exits 0 when the work is already done",
    );
    expect(waitProblems("while ($true) { Start-Sleep -Seconds 5 }\n")).toContain("the wait has no deadline");
  });
});

describe("bash", () => {
  const frame = (body: string) => `#!/usr/bin/env bash\nset -Eeuo pipefail\nROOT="\${OPENTWIN_ROOT:-}"\nCURRENT_STEP=start\ntrap 'status=$?; if [ "$status" -ne 0 ]; then echo "demo: step '"'"'$CURRENT_STEP'"'"' failed" >&2; fi' EXIT\n${body}\n`;
  it("shellcheck reports an unquoted expansion", () => {
    expect(shellcheck(frame('file=$1\nrm -f $file')).output).toMatch(/SC2086/);
  });
  it("a non-idempotent line is caught by the second run", () => {
    const script = frame('CURRENT_STEP=load_modules\necho demo: load_modules >&2\nmodprobe overlay\nsystemctl daemon-reload');
    const sandbox = makeSandbox({ containerdDefault: CONTAINERD_2, parent: SANDBOXES });
    expect(runScript(sandbox, script).status).toBe(0);
    const second = runScript(sandbox, script);
    expect(second.calls.filter(isStateChanging).length).toBeGreaterThan(0);
  });
  it("a step that swallows a failure is caught (exit 0 although a command failed)", () => {
    const script = frame('CURRENT_STEP=enable\necho demo: enable >&2\nsystemctl enable kubelet || true');
    const run = runScript(makeSandbox({ containerdDefault: CONTAINERD_2, parent: SANDBOXES }), script, { fail: "systemctl" });
    expect(run.status).toBe(0);
    expect(run.stderr).not.toContain("step 'enable' failed");
  });
  it("a script that calls an unknown command fails in the sandbox", () => {
    const run = runScript(makeSandbox({ containerdDefault: CONTAINERD_2, parent: SANDBOXES }), frame("nft list ruleset"));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toMatch(/command not found/);
  });
  it("SystemdCgroup at the containerd 1.x path in a 2.x config is not accepted", () => {
    const wrong = CONTAINERD_2 + `\n[${RUNC_OPTIONS_TABLE["1"]}]\n  SystemdCgroup = true\n`;
    expect(tomlValue(wrong, RUNC_OPTIONS_TABLE["2"]!, "SystemdCgroup")).toEqual([]);
  });
});

describe("kubeadm", () => {
  const kubeadm = join(CACHE, "bin", "kubeadm");
  it.skipIf(!existsSync(kubeadm))("kubeadm config validate rejects an unknown field and a bad subnet", () => {
    const dir = mkdtempSync(join(tmpdir(), "opentwin-kubeadm-negative-"));
    const bad = [
      "apiVersion: kubeadm.k8s.io/v1beta4\nkind: InitConfiguration\nnodeRegistration:\n  nam: x\n",
      "apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nkubernetesVersion: v1.34.4\nnetworking:\n  podSubnet: notacidr\n",
    ];
    bad.forEach((text, i) => {
      writeFileSync(join(dir, `${i}.yaml`), text);
      const result = spawnSync(kubeadm, ["config", "validate", "--config", join(dir, `${i}.yaml`)], { encoding: "utf8" });
      expect(result.status).not.toBe(0);
    });
  });
});

describe("cloud-init, unattend, Kubernetes schema, containers", () => {
  it("cloud-init schema rejects a wrong type", () => {
    const result = cloudInitSchema("#cloud-config\nssh_pwauth: false\nusers: 7\n");
    expect(result.status).not.toBe(0);
  });
  it("xmllint rejects a malformed unattend file", () => {
    expect(xmllint("<unattend><settings></unattend>").status).not.toBe(0);
  });
  it("an unknown field and a wrong type fail the strict schema check", () => {
    const validator = kubernetesValidator("1.34.4");
    expect(validator.validate({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x" }, dataa: {} })).toEqual(["/ must NOT have additional properties: dataa"]);
    const problems = validator.validate({
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "x" },
      spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [{ name: "c", image: "i", ports: [{ containerPort: "80" }] }] } } },
    });
    expect(problems.join("\n")).toMatch(/containerPort must be integer/);
    expect(validator.validate({ apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80, targetPort: "http" }] } })).toEqual([]);
  });
  it("a shell-form entrypoint, a wrong base tag and a copied key are reported", () => {
    const bad = "FROM mcr.microsoft.com/windows/servercore:ltsc2019\nCOPY Certificates/ca-key.pem C:/opentwin/\nENTRYPOINT powershell -File C:/opentwin/entrypoint.ps1\n";
    const problems = dockerfileProblems(bad, "ltsc2022");
    expect(problems).toHaveLength(3);
    expect(dockerignoreProblems("*.log\n")).toHaveLength(2);
  });
});
