/** Rules every PowerShell host script follows, as plain functions over the text (used by the checks and their negative fixtures). */
import { parsePowerShell } from "./powershellParser";

/** Problems with the error frame: stop on the first error, exit non-zero with a message naming the step. */
export function frameProblems(script: string): string[] {
  const problems: string[] = [];
  const firstCode = script.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("#")) ?? "";
  if (!/^\$ErrorActionPreference\s*=\s*'Stop'\s*$/.test(firstCode.trim())) problems.push("the first statement is not $ErrorActionPreference = 'Stop'");
  const trap = /trap\s*\{[\s\S]*?\bexit\s+1\b[\s\S]*?\}/.exec(script) ?? /catch\s*\{[\s\S]*?\bexit\s+1\b[\s\S]*?\}/.exec(script);
  if (trap === null) problems.push("no trap or catch that exits 1");
  if (stepNameOf(script) === undefined) problems.push("the failure message names no step");
  return problems;
}

/** The step name the frame's failure message carries (psFrame: 'step ''<name>'' failed: '). */
export function stepNameOf(script: string): string | undefined {
  return /step ''([^']+)'' failed/.exec(script)?.[1] ?? /step '([^']+)' failed/.exec(script)?.[1];
}

const REBOOT = /\b(Restart-Computer|shutdown(?:\.exe)?\s+[/-]r)\b/i;

export function reboots(script: string): boolean {
  return REBOOT.test(script);
}

/**
 * A rebooting script must be guarded: before the reboot command, an `if` that ends the script
 * (exit 0) when the work is already done, so a re-run after the restart does not restart again.
 */
export async function rebootGuardProblems(script: string): Promise<string[]> {
  const at = REBOOT.exec(script)?.index;
  if (at === undefined) return [];
  const before = script.slice(0, at);
  const guard = /\bif\s*\([^\n]*\)\s*\{[^}]*\bexit\s+0\b/m.test(before);
  const { problems } = await parsePowerShell(script);
  const out = problems.map((p) => `syntax error at ${p.line}:${p.column}`);
  if (!guard) out.push("the reboot is not preceded by a guard that exits 0 when the work is already done");
  return out;
}

/** The step after a reboot waits for the machine: a loop with a deadline that sleeps and probes it. */
export function waitProblems(script: string): string[] {
  const problems: string[] = [];
  if (!/\bwhile\s*\(/.test(script)) problems.push("no wait loop");
  if (!/Start-Sleep/.test(script)) problems.push("the loop does not sleep");
  if (!/\$deadline|AddMinutes|AddSeconds/.test(script)) problems.push("the wait has no deadline");
  if (!/Test-Port|Test-NetConnection|Heartbeat|TcpClient/.test(script)) problems.push("the wait probes nothing");
  return problems;
}
