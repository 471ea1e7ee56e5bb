/**
 * PowerShell: parses under tree-sitter-powershell; -EncodedCommand decodes to exactly the script;
 * stack values only as single-quoted literals; stop on the first error with the step named; reboots resume.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { configMapScripts, goldenFiles, kubernetesObjects, plan, REPO_ROOT, renderedScripts, renderedStacks, type CorpusFile } from "../../tools/checks/corpus";
import { parsePowerShell, placementOf } from "../../tools/checks/powershellParser";
import { frameProblems, rebootGuardProblems, reboots, stepNameOf, waitProblems } from "../../tools/checks/powershellRules";
import { hypervSamples, loadStackFrom, rawStack } from "../../tools/checks/samples";
import { psScript } from "../../components/scripts/powershell";
import { HOSTILE } from "../../tools/checks/variants";
import { decodePowerShell, extractScript } from "../../tools/render/scripts";

const renderRoot = inject("renderRoot");
const stacksDir = inject("stacksDir");
const stacks = renderedStacks(renderRoot);
const rendered = renderedScripts(renderRoot, "ps1");
const embedded = configMapScripts(kubernetesObjects(renderRoot));
const golden = goldenFiles(/\.ps1$/);
const entrypoint = join(REPO_ROOT, "images", "opentwin", "entrypoint.ps1");
const images: CorpusFile[] = existsSync(entrypoint) ? [{ label: "images/opentwin/entrypoint.ps1", path: entrypoint, text: readFileSync(entrypoint, "utf8") }] : [];
const samples: CorpusFile[] = [];
for (const stack of stacks) {
  for (const s of hypervSamples(loadStackFrom(stacksDir, stack))) samples.push({ label: `${stack}/sample/${s.name}.ps1`, path: "", text: s.text });
}

describe("every stack renders", () => {
  it.each(Object.keys({ dev: 1, production: 1, ...inject("renderErrors") }))("%s", (stack) => {
    expect(inject("renderErrors")[stack]).toBeUndefined();
  });
});

describe("parses under tree-sitter-powershell", () => {
  const all = [...rendered, ...embedded, ...golden, ...images, ...samples];
  it("there are scripts to parse", () => expect(all.length).toBeGreaterThan(0));
  it.each(all.map((f) => [f.label, f] as const))("%s", async (_label, file) => {
    const { problems } = await parsePowerShell(file.text);
    expect(problems.map((p) => `${p.line}:${p.column} ${p.text}`)).toEqual([]);
  });
});

describe("-EncodedCommand decodes back to exactly the rendered script", () => {
  const cases = stacks.flatMap((stack) =>
    plan(renderRoot, stack)
      .filter((r) => r.type.startsWith("command:"))
      .flatMap((r) => (["create", "delete"] as const).filter((p) => typeof r.inputs[p] === "string" && /-EncodedCommand /.test(r.inputs[p])).map((p) => [`${stack} ${r.name} ${p}`, stack, r, p] as const)),
  );
  it.skipIf(cases.length > 0)("no encoded command in any plan yet (program not wired)", () => {});
  it.each(cases)("%s", (_label, stack, resource, phase) => {
    const commandLine: string = resource.inputs[phase];
    expect(commandLine.startsWith("powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ")).toBe(true);
    const decoded = decodePowerShell(commandLine)!;
    expect(Buffer.from(decoded, "utf16le").toString("base64")).toBe(commandLine.split(" ").pop());
    const suffix = `-${resource.name}${phase === "delete" ? ".delete" : ""}.ps1`;
    const file = renderedScripts(renderRoot, "ps1").find((f) => f.label.startsWith(`${stack}/`) && f.label.endsWith(suffix));
    expect(file, `no rendered file *${suffix}`).toBeDefined();
    if (decoded.includes(LOADER_LINE)) {
      // Too long for one command line: the command is the loader, the script travels in the (secret) stdin.
      expect(decoded).toBe(psScript(stepNameOf(decoded)!, LOADER_LINE, { readsStdin: true }));
      expect(stepNameOf(file!.text)).toBe(stepNameOf(decoded));
    } else {
      expect(file!.text).toBe(extractScript(resource.inputs, phase)!.text);
      expect(file!.text.replace(/\n$/, "")).toBe(decoded.replace(/\n$/, ""));
    }
  });
});

const LOADER_LINE = ". ([ScriptBlock]::Create($Stdin.script))";

function stackValues(stack: string): { key: string; value: string }[] {
  const c = rawStack(stacksDir, stack);
  const values: { key: string; value: string }[] = [];
  for (const [i, h] of (c.hosts ?? []).entries()) {
    values.push({ key: `hosts[${i}].vmPath`, value: h.vmPath }, { key: `hosts[${i}].switchName`, value: h.switchName });
    for (const [os, disk] of Object.entries(h.baseDisks ?? {})) values.push({ key: `hosts[${i}].baseDisks.${os}`, value: String(disk) });
  }
  return values;
}

describe("stack values appear only as single-quoted literals", () => {
  for (const stack of stacks) {
    const scripts = [...rendered, ...samples].filter((f) => f.label.startsWith(`${stack}/`));
    describe(stack, () => {
      it.each(stackValues(stack).map((v) => [v.key, v.value] as const))("%s", async (_key, value) => {
        let verbatim = 0;
        const outside: string[] = [];
        for (const file of scripts) {
          const placement = await placementOf(file.text, value);
          verbatim += placement.inVerbatim;
          outside.push(...placement.outside.map((line) => `${file.label}:${line}`));
        }
        expect(outside).toEqual([]);
        expect(verbatim, "the value reaches no script at all").toBeGreaterThan(0);
      });
    });
  }
  it("the hostile variant was rendered", () => {
    expect(stacks).toContain("hostile-quoting");
    expect(stackValues("hostile-quoting").map((v) => v.value)).toContain(HOSTILE.switchName);
  });
});

describe("every host script stops on the first error and names its step", () => {
  const hostScripts = [...rendered, ...samples];
  it.each(hostScripts.map((f) => [f.label, f] as const))("%s", (label, file) => {
    expect(frameProblems(file.text)).toEqual([]);
    // The step named in the message is recognisably this resource's: they share the machine's name or another word.
    const stem = /\d+-(.+?)(\.delete)?\.ps1$/.exec(label)?.[1];
    if (stem !== undefined) {
      const step = stepNameOf(file.text)!;
      const words = (text: string) => new Set(text.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length >= 3));
      const shared = [...words(step)].filter((w) => words(stem).has(w));
      expect(shared.length, `step '${step}' vs resource '${stem}'`).toBeGreaterThan(0);
    }
  });
  it.each([...embedded, ...images].map((f) => [f.label, f] as const))("%s stops on errors", (_label, file) => {
    expect(file.text).toMatch(/^\$ErrorActionPreference\s*=\s*'Stop'/m);
  });
});

describe("scripts that reboot resume after the reboot", () => {
  const cases = stacks.flatMap((stack) => {
    const commands = plan(renderRoot, stack).filter((r) => r.type.startsWith("command:"));
    return commands.flatMap((r, i) => {
      const script = extractScript(r.inputs, "create");
      if (script?.language !== "powershell" || !reboots(script.text)) return [];
      const next = commands.slice(i + 1).map((n) => extractScript(n.inputs, "create")).find((s) => s !== undefined);
      return [[`${stack} ${r.name}`, script.text, next?.text ?? ""] as const];
    });
  });
  it("the Windows prepare step (renderer) is guarded and the host waits for the restart (renderer)", async () => {
    const { renderPrepareBody } = await import("../../components/scripts/windows/prepare");
    const { renderRebootWaitBody } = await import("../../components/hyperv/scripts");
    const { psScript } = await import("../../components/scripts/powershell");
    const prepare = psScript("otwin1-prepare", renderPrepareBody());
    expect(reboots(prepare)).toBe(true);
    expect(await rebootGuardProblems(prepare)).toEqual([]);
    expect(waitProblems(renderRebootWaitBody({ vmName: "otwin1", address: "192.0.2.21", rebootScheduled: true, minutes: 20 }))).toEqual([]);
  });
  it.skipIf(cases.length > 0)("no rebooting step in any plan yet (program not wired)", () => {});
  it.each(cases)("%s", async (_label, script, next) => {
    expect(await rebootGuardProblems(script)).toEqual([]);
    expect(waitProblems(next)).toEqual([]);
  });
});
