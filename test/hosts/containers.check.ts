/** Container definitions: exec-form entrypoint, base image for the workers' Windows build, no CA private key in an image. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, inject, it } from "vitest";
import { REPO_ROOT, renderedStacks, walk } from "../../tools/checks/corpus";
import { loadStackFrom } from "../../tools/checks/samples";
import { WINDOWS_BUILDS } from "../../components/lib/catalog";
import { renderOpenTwinDockerfile } from "../../images/opentwin/dockerfile";
import { dockerfileProblems, dockerignoreProblems } from "../../tools/checks/dockerfile";

const stacksDir = inject("stacksDir");
const stacks = renderedStacks(inject("renderRoot"));
const dockerfiles = walk(join(REPO_ROOT, "images")).filter((p) => /(^|\/)Dockerfile$/.test(p));

describe("Dockerfiles in images/", () => {
  it("there are Dockerfiles", () => expect(dockerfiles.length).toBeGreaterThan(0));
  it.each(dockerfiles.map((p) => [p.slice(REPO_ROOT.length + 1), p] as const))("%s", (_label, path) => {
    // HostProcess images (windows-networking) are started by their DaemonSet's command: no entrypoint needed.
    expect(dockerfileProblems(readFileSync(path, "utf8"), undefined, !/windows-networking/.test(path))).toEqual([]);
    const ignore = join(path, "..", ".dockerignore");
    if (/windows|servercore|nanoserver/i.test(readFileSync(path, "utf8")) && /opentwin/.test(path)) {
      expect(existsSync(ignore)).toBe(true);
      expect(dockerignoreProblems(readFileSync(ignore, "utf8"))).toEqual([]);
    }
  });
});

describe("the OpenTwin image for each stack's Windows build", () => {
  it.each(stacks)("%s", (stack) => {
    const build = (loadStackFrom(stacksDir, stack).config as any).windowsWorkers?.windowsBuild as keyof typeof WINDOWS_BUILDS | undefined;
    if (build === undefined) return;
    const dockerfile = renderOpenTwinDockerfile({ windowsBuild: build });
    expect(dockerfileProblems(dockerfile, WINDOWS_BUILDS[build].servercoreTag)).toEqual([]);
  });
  it("the committed Dockerfile is the one rendered for the dev stack's build", () => {
    const build = (loadStackFrom(stacksDir, "dev").config as any).windowsWorkers.windowsBuild as keyof typeof WINDOWS_BUILDS;
    expect(readFileSync(join(REPO_ROOT, "images", "opentwin", "Dockerfile"), "utf8")).toBe(renderOpenTwinDockerfile({ windowsBuild: build }));
  });
});
