/**
 * bash: shellcheck with no findings; each script run under bash against logging stubs in a
 * throw-away root: first run does every step in order, a second run changes nothing, a failing
 * command stops the script naming its step, containerd ends with SystemdCgroup = true at the path
 * of its major version.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import {
  announcedSteps, callsByStep, declaredSteps, isRepeatable, isStateChanging, makeSandbox, runScript, snapshot, unwrapSudoBash, type Sandbox,
} from "../../tools/checks/bashRunner";
import { RUNC_OPTIONS_TABLE, tomlValue } from "../../tools/checks/containerdConfig";
import { renderedScripts, renderedStacks, type CorpusFile } from "../../tools/checks/corpus";
import { shellcheck } from "../../tools/checks/tools";
import { kubeadmScriptSamples, loadStackFrom, prepareNodeSample } from "../../tools/checks/samples";

const renderRoot = inject("renderRoot");
const stacksDir = inject("stacksDir");
const FIXTURES = join(__dirname, "fixtures");
const SANDBOXES = join(renderRoot, "..", "sandboxes");
const CONTAINERD_DEFAULTS: Record<string, string> = {
  "1": readFileSync(join(FIXTURES, "containerd-1.7-default.toml"), "utf8"),
  "2": readFileSync(join(FIXTURES, "containerd-2.1-default.toml"), "utf8"),
};

interface BashCase extends CorpusFile {
  readonly containerdMajor: string;
  /** Scripts that run before this one on the same machine (earlier create steps), in order. */
  readonly before: readonly string[];
}

/** Rendered scripts of one machine: NN-<step>.sh in run order; a delete runs after every create. */
function machineScripts(files: readonly CorpusFile[]): BashCase[] {
  const byMachine = new Map<string, CorpusFile[]>();
  for (const f of files) {
    const machine = f.label.split("/").slice(0, 3).join("/");
    byMachine.set(machine, [...(byMachine.get(machine) ?? []), f]);
  }
  const out: BashCase[] = [];
  for (const list of byMachine.values()) {
    const creates = list.filter((f) => !f.label.endsWith(".delete.sh"));
    for (const f of list) {
      const isDelete = f.label.endsWith(".delete.sh");
      const before = isDelete ? creates : creates.slice(0, creates.indexOf(f));
      out.push({ ...f, text: unwrapSudoBash(f.text), containerdMajor: "", before: before.map((b) => unwrapSudoBash(b.text)) });
    }
  }
  return out;
}

function containerdMajorOf(stack: string): string {
  return /^(\d+)\./.exec((loadStackFrom(stacksDir, stack).config as any).kubernetes.containerdVersion)?.[1] ?? "2";
}

const cases: BashCase[] = [];
for (const stack of renderedStacks(renderRoot)) {
  const major = containerdMajorOf(stack);
  for (const c of machineScripts(renderedScripts(renderRoot, "sh").filter((f) => f.label.startsWith(`${stack}/`)))) {
    cases.push({ ...c, containerdMajor: major });
  }
  const loaded = loadStackFrom(stacksDir, stack);
  const sample = prepareNodeSample(loaded);
  cases.push({ label: `${stack}/sample/${sample.name}.sh`, path: "", text: sample.text, containerdMajor: major, before: [] });
  for (const s of kubeadmScriptSamples(loaded)) cases.push({ label: `${stack}/sample/${s.name}.sh`, path: "", text: s.text, containerdMajor: major, before: [] });
}
// Both containerd layouts, whatever the stacks use.
const dev = loadStackFrom(stacksDir, "dev");
for (const version of ["1.7.28", "2.1.4"]) {
  const s = prepareNodeSample(dev, version);
  cases.push({ label: `dev/sample/${s.name}.sh`, path: "", text: s.text, containerdMajor: version.split(".")[0]!, before: [] });
}
const byLabel = cases.map((c) => [c.label, c] as const);

describe("shellcheck: no findings at the default level", () => {
  it("there are bash scripts to check", () => expect(cases.length).toBeGreaterThan(0));
  it.each(byLabel)("%s", (_label, c) => {
    const { status, output } = shellcheck(c.text);
    expect(output).toBe("");
    expect(status).toBe(0);
  });
});

/** A sandbox in the state the earlier steps of the machine leave (each must succeed). */
function prepared(c: BashCase): Sandbox {
  const sandbox = makeSandbox({ containerdDefault: CONTAINERD_DEFAULTS[c.containerdMajor]!, parent: SANDBOXES });
  for (const earlier of c.before) {
    const run = runScript(sandbox, earlier);
    if (run.status !== 0) throw new Error(`an earlier step of the machine failed in the sandbox: ${run.stderr}`);
  }
  return sandbox;
}

describe("run against stubs in a throw-away root (after the machine's earlier steps)", () => {
  describe.each(byLabel)("%s", (_label, c) => {
    const steps = declaredSteps(c.text);

    it("the first run performs every step, in order, and succeeds", () => {
      const sandbox = prepared(c);
      const run = runScript(sandbox, c.text);
      expect(run.stderr).not.toMatch(/command not found/);
      expect(run.status, run.stderr).toBe(0);
      if (steps.length > 0) expect(announcedSteps(run.transcript, steps)).toEqual(steps);
      const calls = run.calls.map((l) => l.slice(2));
      // Downloads are verified before anything from them is installed; config before (re)start.
      const firstIndex = (re: RegExp) => calls.findIndex((l) => re.test(l));
      const lastIndex = (re: RegExp) => calls.map((l) => re.test(l)).lastIndexOf(true);
      if (firstIndex(/^tar /) >= 0) expect(lastIndex(/^curl /)).toBeLessThan(firstIndex(/^tar /));
      if (firstIndex(/^systemctl (start|restart) containerd/) >= 0) expect(firstIndex(/^containerd config default/)).toBeLessThan(firstIndex(/^systemctl (start|restart) containerd/));
      if (firstIndex(/^kubeadm (init|join)/) >= 0 && firstIndex(/^swapoff/) >= 0) expect(firstIndex(/^swapoff/)).toBeLessThan(firstIndex(/^kubeadm (init|join)/));
    });

    it("a second run performs none of the state-changing steps and writes no file", () => {
      const sandbox = prepared(c);
      expect(runScript(sandbox, c.text).status).toBe(0);
      const before = snapshot(sandbox.root);
      const second = runScript(sandbox, c.text);
      expect(second.status, second.stderr).toBe(0);
      expect(second.calls.map((l) => l.slice(2)).filter((l) => isStateChanging(l) && !isRepeatable(l))).toEqual([]);
      const after = snapshot(sandbox.root);
      const changed = [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path);
      expect(changed).toEqual([]);
    });

    it("a failing state-changing command stops the script with a message naming its step", () => {
      const sandbox = prepared(c);
      const first = runScript(sandbox, c.text);
      const all = callsByStep(first.transcript, steps);
      // One failure per distinct command, at its first state-changing call (reads of it may come before).
      const seen = new Set<string>();
      all.forEach(({ step, call }, index) => {
        const command = call.split(" ")[0]!;
        if (!isStateChanging(call) || seen.has(command)) return;
        seen.add(command);
        const failAt = all.slice(0, index + 1).filter((x) => x.call.split(" ")[0] === command).length;
        const fresh = prepared(c);
        const run = runScript(fresh, c.text, { fail: command, failAt });
        expect(run.status, `${call} failing in ${step}`).not.toBe(0);
        if (steps.length > 0) expect(run.stderr, `${call} failing in ${step}`).toContain(`step '${step}' failed`);
        else expect(run.stderr, `${call} failing`).toMatch(/step '[^']+' failed/);
        const failedAt = run.transcript.map((l, i) => [l, i] as const).filter(([l]) => l.split(" ")[1] === command)[failAt - 1]?.[1] ?? -1;
        const later = run.transcript.slice(failedAt + 1).filter((l) => l.startsWith("+ ") && isStateChanging(l));
        expect(later, `commands after ${call} failed`).toEqual([]);
      });
    });

    if (/containerd config default/.test(c.text)) {
      it(`containerd's config ends with SystemdCgroup = true at the containerd ${c.containerdMajor}.x path`, () => {
        const sandbox = prepared(c);
        expect(runScript(sandbox, c.text).status).toBe(0);
        const config = readFileSync(join(sandbox.root, "etc", "containerd", "config.toml"), "utf8");
        expect(tomlValue(config, RUNC_OPTIONS_TABLE[c.containerdMajor]!, "SystemdCgroup")).toEqual(["true"]);
        expect(config).not.toMatch(/SystemdCgroup\s*=\s*false/);
        expect(config.split("\n")[0]).toBe(CONTAINERD_DEFAULTS[c.containerdMajor]!.split("\n")[0]);
      });
    }
  });
});
