/**
 * What `npm run up` / `npm run preview` pass to the engine: scripts/pulumi-local.sh appends
 * `--parallel "${OPENTWIN_PULUMI_PARALLEL:-<n>}"`. Read from the script, so the benchmark follows it. Pure.
 */

export const LOCAL_SCRIPT = "scripts/pulumi-local.sh";

/** The default of `--parallel "${OPENTWIN_PULUMI_PARALLEL:-<n>}"` in the script's text; throws when the script no longer has it. */
export function scriptParallel(script: string): number {
  const match = /--parallel\s+"?\$\{OPENTWIN_PULUMI_PARALLEL:-(\d+)\}"?/.exec(script);
  if (match === null) throw new Error(`${LOCAL_SCRIPT} no longer passes --parallel "\${OPENTWIN_PULUMI_PARALLEL:-<n>}"; update tools/bench/localScript.ts`);
  const value = Number(match[1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${LOCAL_SCRIPT}: --parallel default ${match[1]} is not a positive integer`);
  return value;
}
