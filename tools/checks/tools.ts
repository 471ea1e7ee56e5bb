/** The external checking tools, each run on text given on stdin or in a temporary file. */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ToolResult {
  readonly status: number;
  readonly output: string;
}

function run(command: string, args: string[], input?: string): ToolResult {
  const result = spawnSync(command, args, { input, encoding: "utf8" });
  if (result.error) throw result.error;
  return { status: result.status ?? -1, output: `${result.stdout}${result.stderr}`.trim() };
}

/** shellcheck at its default level (all severities), bash dialect. */
export function shellcheck(text: string): ToolResult {
  return run("shellcheck", ["--shell=bash", "--format=gcc", "-"], text);
}

/** `cloud-init schema -c FILE` (exit 1 on schema errors). */
export function cloudInitSchema(userData: string): ToolResult {
  const file = join(mkdtempSync(join(tmpdir(), "opentwin-cloudinit-")), "user-data");
  writeFileSync(file, userData);
  return run("cloud-init", ["schema", "-c", file]);
}

/** xmllint --noout (well-formedness), or the string value of an XPath expression. */
export function xmllint(xml: string, xpath?: string): ToolResult {
  return run("xmllint", xpath === undefined ? ["--noout", "-"] : ["--xpath", xpath, "-"], xml);
}

/** One line naming a tool's version, for the notes. */
export function toolVersion(command: string, args: string[]): string {
  try {
    return run(command, args).output.split("\n").find((l) => /\d/.test(l)) ?? "unknown";
  } catch {
    return "not installed";
  }
}
