/**
 * The frame every Debian node script shares: strict mode, one function per step, a trap that names
 * the step that failed, temporary files removed on exit, and every path under $OPENTWIN_ROOT so the
 * script can run against a throwaway root with stub commands in PATH.
 */

export interface BashStep {
  /** Function name of the step (a bash identifier, snake_case); also the name printed on failure. */
  readonly name: string;
  /** Body of the function, without the surrounding `name() {` and `}`. */
  readonly body: string;
}

export interface BashScript {
  /** Script name printed in messages, e.g. `prepare-node`. */
  readonly title: string;
  /** What the script does, one comment line each. */
  readonly description: readonly string[];
  /** Read-only variables set before the steps, as [NAME, value]; values are single-quoted literals. */
  readonly constants?: readonly (readonly [string, string])[];
  /** Helper functions (already formatted bash) placed before the steps. */
  readonly helpers?: readonly string[];
  readonly steps: readonly BashStep[];
}

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
const CONSTANT = /^[A-Z_][A-Z0-9_]*$/;

/** `value` as one single-quoted shell word. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Writes `content` to the file named by the bash expression `path` (quoted heredoc: nothing expands). */
export function heredocToFile(path: string, mode: string, content: string, delimiter = "OPENTWIN_EOF"): string {
  if (content.split("\n").includes(delimiter)) throw new Error(`content contains the heredoc delimiter ${delimiter}`);
  const body = content.endsWith("\n") ? content : `${content}\n`;
  return `write_if_changed ${path} ${mode} <<'${delimiter}'\n${body}${delimiter}`;
}

/** Helper shared by every script: fail with a message. */
export const FAIL_HELPER = `# Stops the script with a message; the exit trap adds the step's name.
fail() {
  echo "$*" >&2
  exit 1
}`;

/** Helper: write stdin to a file only when its content differs; sets CHANGED to 1 when it wrote, 0 otherwise. */
export const WRITE_IF_CHANGED_HELPER = `# write_if_changed PATH MODE < content: writes only when the content differs.
# Sets CHANGED=1 when the file was written, CHANGED=0 when it already had this content.
write_if_changed() {
  local path="$1" mode="$2" staged
  staged="$(mktemp)"
  TMP_FILES+=("\${staged}")
  cat > "\${staged}"
  # shellcheck disable=SC2034
  CHANGED=0
  if [ -f "\${path}" ] && cmp -s "\${staged}" "\${path}"; then
    return 0
  fi
  mkdir -p "$(dirname "\${path}")"
  install -m "\${mode}" "\${staged}" "\${path}"
  # shellcheck disable=SC2034
  CHANGED=1
}`;

function indent(text: string): string {
  // Heredoc bodies must stay at column 0, so only lines outside heredocs are indented.
  const out: string[] = [];
  let delimiter: string | undefined;
  for (const line of text.split("\n")) {
    if (delimiter !== undefined) {
      out.push(line);
      if (line === delimiter) delimiter = undefined;
      continue;
    }
    out.push(line === "" ? "" : `  ${line}`);
    const opened = /<<-?'([A-Z_]+)'/.exec(line);
    if (opened) delimiter = opened[1];
  }
  return out.join("\n");
}

/** Renders the whole script. Throws when a step or constant name is not a valid identifier or repeats. */
export function renderBashScript(script: BashScript): string {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const step of script.steps) {
    if (!IDENTIFIER.test(step.name)) problems.push(`step name '${step.name}' is not a snake_case bash identifier`);
    if (seen.has(step.name)) problems.push(`step name '${step.name}' is used twice`);
    seen.add(step.name);
  }
  for (const [name] of script.constants ?? []) {
    if (!CONSTANT.test(name)) problems.push(`constant name '${name}' is not an upper-case bash identifier`);
  }
  if (problems.length > 0) throw new Error(`${script.title}: ${problems.join("; ")}`);

  const lines: string[] = [
    "#!/usr/bin/env bash",
    `# opentwin ${script.title}`,
    ...script.description.map((line) => `# ${line}`),
    "# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).",
    "# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.",
    "set -Eeuo pipefail",
    "umask 022",
    "",
    'ROOT="${OPENTWIN_ROOT:-}"',
    `SCRIPT_NAME=${shellQuote(script.title)}`,
    "CURRENT_STEP='start'",
    "# CHANGED: set by write_if_changed/install_binary for the step that called them.",
    "# shellcheck disable=SC2034",
    "CHANGED=0",
    "TMP_FILES=()",
  ];
  for (const [name, value] of script.constants ?? []) lines.push(`${name}=${shellQuote(value)}`);
  lines.push(
    "",
    "on_exit() {",
    "  local status=$?",
    '  if [ "${#TMP_FILES[@]}" -gt 0 ]; then',
    '    rm -f -- "${TMP_FILES[@]}"',
    "  fi",
    '  if [ "${status}" -ne 0 ]; then',
    `    echo "\${SCRIPT_NAME}: step '\${CURRENT_STEP}' failed (exit \${status})" >&2`,
    "  fi",
    '  exit "${status}"',
    "}",
    "trap on_exit EXIT",
    "",
    "run_step() {",
    '  CURRENT_STEP="$1"',
    '  echo "${SCRIPT_NAME}: ${CURRENT_STEP}" >&2',
    '  "$1"',
    "}",
    "",
    FAIL_HELPER,
    "",
  );
  for (const helper of script.helpers ?? []) lines.push(helper, "");
  for (const step of script.steps) {
    lines.push(`${step.name}() {`, indent(step.body.replace(/\n+$/, "")), "}", "");
  }
  lines.push("main() {", ...script.steps.map((step) => `  run_step ${step.name}`), "  CURRENT_STEP='done'", "}", "", 'main "$@"', "");
  return lines.join("\n");
}

/**
 * The command line that runs a rendered script on a Debian VM as root. The script travels as a
 * single-quoted argument (it holds no secret), so standard input stays free for secrets.
 */
export function sudoBash(script: string, tag: string): string {
  return `sudo -n bash -c ${shellQuote(script)} ${shellQuote(tag)}`;
}
