/**
 * Issue 3 through the real engine: the e2e stack (existing cluster, supplied PKI: only the kubernetes
 * provider is needed) previews and lists exactly the resources the offline render gives; the dev
 * stack is refused with every missing secret named, and with secrets set, it names the missing
 * command/tls plugins; no secret reaches the CLI output, the state export or the stack file in clear.
 * The kubeconfig points at an unreachable address: preview needs no cluster.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderStackFile } from "../../tools/render/render";
import { applyInputs, generateInputs, middleLine, renderInput, sentinels, type E2eInputs } from "../../tools/e2e/inputs";
import { makeProject, type PulumiResult, type TempProject } from "../../tools/e2e/project";
import { leaks, previewResources, renderResources } from "../../tools/e2e/urns";

const PASSPHRASE = "opentwin-e2e-engine";
const work = mkdtempSync(join(tmpdir(), "opentwin-engine-"));
const projects: TempProject[] = [];
const outputs: string[] = [];
let inputs: E2eInputs;
let e2e: TempProject;
let preview: PulumiResult;
let clientKeyLine: string;

function unreachableKubeconfig(): { text: string; keyLine: string } {
  execFileSync("openssl", ["genrsa", "-traditional", "-out", join(work, "client.key"), "2048"], { stdio: "ignore" });
  const key = execFileSync("cat", [join(work, "client.key")], { encoding: "utf8" });
  const text = [
    "apiVersion: v1",
    "kind: Config",
    "clusters: [{ name: unreachable, cluster: { server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true } }]",
    `users: [{ name: e2e, user: { client-key-data: ${Buffer.from(key).toString("base64")}, token: e2e-token-${process.pid}-sentinel } }]`,
    "contexts: [{ name: e2e, context: { cluster: unreachable, user: e2e } }]",
    "current-context: e2e",
    "",
  ].join("\n");
  return { text, keyLine: middleLine(key) };
}

function record(result: PulumiResult): PulumiResult {
  outputs.push(result.stdout, result.stderr);
  return result;
}

beforeAll(() => {
  const kubeconfig = unreachableKubeconfig();
  clientKeyLine = kubeconfig.keyLine;
  inputs = generateInputs(work, kubeconfig.text);
  e2e = makeProject("e2e", PASSPHRASE);
  projects.push(e2e);
  applyInputs(e2e, inputs);
  preview = record(e2e.pulumi("preview", ["--json"]));
  console.log(`pulumi preview --json (e2e): ${preview.seconds.toFixed(1)}s`);
});

afterAll(() => {
  for (const project of projects) project.remove();
  rmSync(work, { recursive: true, force: true });
});

describe("e2e stack (existing cluster, supplied PKI) through the real engine", () => {
  it("pulumi preview completes", () => {
    expect(preview.stderr).not.toMatch(/error:/);
    expect(preview.code).toBe(0);
  });

  it("lists exactly the resources of the offline render (type and name), plus the stack", async () => {
    const rendered = await renderStackFile(renderInput(inputs), "e2e");
    const expected = [...renderResources(rendered.files["plan.json"]!), "pulumi:pulumi:Stack opentwin-e2e"].sort();
    expect(previewResources(preview.stdout)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(40);
  });

  it("shows every secret input as [secret] in the plan", () => {
    const steps = (JSON.parse(preview.stdout) as { steps: { urn: string; newState?: { inputs?: Record<string, any> } }[] }).steps;
    const tls = steps.filter((s) => /core\/v1:Secret::opentwin-.*-tls$/.test(s.urn));
    expect(tls).toHaveLength(7);
    for (const step of tls) expect(JSON.stringify(step.newState?.inputs)).toContain("[secret]");
  });

  it("keeps every private key, password and the kubeconfig's credentials out of the CLI output, the export and the stack file", () => {
    const exported = record(e2e.pulumi("stack", ["export", "--show-secrets=false"]));
    expect(exported.code).toBe(0);
    const all = sentinels(inputs, [clientKeyLine, `e2e-token-${process.pid}-sentinel`]);
    expect(all.length).toBe(8 + 2 + 2);
    expect(leaks(outputs.join("\n"), all)).toEqual([]);
    expect(leaks(exported.stdout, all)).toEqual([]);
    expect(leaks(e2e.stackFileText(), all)).toEqual([]);
  });
});

describe("dev stack through the real engine", () => {
  let dev: TempProject;
  beforeAll(() => {
    dev = makeProject("dev", PASSPHRASE);
    projects.push(dev);
  });

  it("refuses to start and names every missing secret (5 in a fresh checkout)", () => {
    const result = record(dev.pulumi("preview"));
    const text = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(text).toContain("The stack configuration has 5 problems; nothing was deployed");
    for (const key of ["hosts[0].sshPrivateKey", "vmAccess.sshPrivateKey", "windowsWorkers.adminPassword", "mongodb.adminPassword", "mongodb.adminPasswordEncrypted"]) {
      expect(text).toContain(`opentwin:${key}: (not set) is a required secret that the stack does not set`);
    }
  });

  it("with its secrets set, stops at the first command/tls resource and names the plugin it lacks", () => {
    for (const key of ["hosts[0].sshPrivateKey", "vmAccess.sshPrivateKey", "windowsWorkers.adminPassword", "mongodb.adminPassword", "mongodb.adminPasswordEncrypted"]) {
      dev.setSecret(key, `dev-${key}-placeholder`);
    }
    const result = record(dev.pulumi("preview"));
    const text = result.stdout + result.stderr;
    expect(result.code).not.toBe(0);
    expect(text).not.toContain("The stack configuration has");
    expect(text).toMatch(/no resource plugin 'pulumi-resource-(command|tls)' found/);
  });
});
