/**
 * kubeadm: every kubeadm configuration (init, worker join, control-plane join; from the rendered
 * scripts and from the renderer for each stack) passes `kubeadm config validate` of a kubeadm built
 * from k8s.io/kubernetes at the stack's version (scripts/toolchain/cluster.sh), and its API version
 * follows the Kubernetes version (v1beta3 before 1.31, v1beta4 from 1.31).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { unwrapSudoBash } from "../../tools/checks/bashRunner";
import { renderedScripts, renderedStacks } from "../../tools/checks/corpus";
import { CACHE } from "../../tools/checks/openapi";
import { kubeadmSamples, loadStackFrom } from "../../tools/checks/samples";

const renderRoot = inject("renderRoot");
const stacksDir = inject("stacksDir");
const stacks = renderedStacks(renderRoot);
export const KUBEADM = join(CACHE, "bin", "kubeadm");

/** Placeholders the renderer leaves for the join secrets, replaced by well-formed fakes (as the join script does). */
function withFakeSecrets(config: string): string {
  return config
    .replace(/000000\.0000000000000000/g, "abcdef.0123456789abcdef")
    .replace(/sha256:0{64}/g, `sha256:${"a".repeat(64)}`)
    .replace(/\bf{64}\b/g, "b".repeat(64));
}

/** kubeadm configuration files a rendered script writes (heredocs into /etc/opentwin/kubeadm-*.yaml). */
function configsInScripts(stack: string): { label: string; text: string }[] {
  return renderedScripts(renderRoot, "sh")
    .filter((f) => f.label.startsWith(`${stack}/`))
    .flatMap((f) =>
      [...unwrapSudoBash(f.text).matchAll(/\/etc\/opentwin\/(kubeadm-[a-z-]+\.yaml)"? 0[0-7]+ <<'([A-Z_]+)'\n([\s\S]*?)\n\2\n/g)].map((m) => ({ label: `${f.label}:${m[1]}`, text: m[3]! })),
    );
}

const versionOf = (stack: string) => String((loadStackFrom(stacksDir, stack).config as any).kubernetes.version);
const cases = stacks.flatMap((stack) => [
  ...kubeadmSamples(loadStackFrom(stacksDir, stack)).map((s) => [`${stack}/sample/${s.name}`, stack, s.text] as const),
  ...configsInScripts(stack).map((c) => [c.label, stack, c.text] as const),
]);

function kubeadmVersion(): string | undefined {
  if (!existsSync(KUBEADM)) return undefined;
  const out = spawnSync(KUBEADM, ["version", "-o", "short"], { encoding: "utf8" });
  return out.status === 0 ? out.stdout.trim() : undefined;
}
const built = kubeadmVersion();
const minor = (v: string) => /^v?(\d+\.\d+)/.exec(v)?.[1];

describe("kubeadm config API version follows the Kubernetes version", () => {
  it.each(cases)("%s", (_label, stack, text) => {
    const [major, min] = versionOf(stack).split(".").map(Number) as [number, number];
    const expected = major === 1 && min < 31 ? "kubeadm.k8s.io/v1beta3" : "kubeadm.k8s.io/v1beta4";
    const kubeadmDocs = parseAllDocuments(text).map((d) => d.toJS() as { apiVersion: string }).filter((d) => d.apiVersion.startsWith("kubeadm.k8s.io/"));
    expect(kubeadmDocs.length).toBeGreaterThan(0);
    for (const doc of kubeadmDocs) expect(doc.apiVersion).toBe(expected);
  });
  it("a 1.30 stack is among them", () => expect(stacks.some((s) => versionOf(s).startsWith("1.30."))).toBe(true));
});

describe(`kubeadm config validate (${built ?? `no kubeadm at ${KUBEADM}: run scripts/toolchain/cluster.sh`})`, () => {
  it.for(cases)("%s", ([, stack, text], ctx) => {
    if (built === undefined || minor(built) !== minor(versionOf(stack))) {
      ctx.skip(`needs a kubeadm ${minor(versionOf(stack))}; have ${built ?? "none"}`);
      return;
    }
    const file = join(mkdtempSync(join(tmpdir(), "opentwin-kubeadm-")), "config.yaml");
    writeFileSync(file, withFakeSecrets(text));
    const result = spawnSync(KUBEADM, ["config", "validate", "--config", file], { encoding: "utf8" });
    expect(`${result.stdout}${result.stderr}`).not.toMatch(/error/i);
    expect(result.status).toBe(0);
  });
});
