/**
 * PowerShell for remote Windows machines (Hyper-V hosts and Windows workers), reached over OpenSSH.
 *
 * Every command line is `powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass
 * -EncodedCommand <base64 of UTF-16LE>`, so neither cmd.exe (OpenSSH's default shell on Windows)
 * nor sshd ever parses the script. Stack values reach a script only as single-quoted literals
 * (psQuote), which PowerShell never expands.
 *
 * Standard input convention (one for every step): stdin, when a step has one, is ONE JSON document
 *
 *     { "script"?: "<framed script>", "secrets": { "<name>": "<value>", ... } }
 *
 * written ASCII-only (non-ASCII characters as \uXXXX), so the console code page cannot garble it.
 * The framed script reads it into `$Stdin` before the body runs; the body reads `$Stdin.secrets.<name>`.
 * `script` is set only when the encoded command line would pass cmd.exe's 8191-character limit:
 * the command line is then a short loader that reads the document and runs `$Stdin.script`
 * (see powershellCommand). Stdin is always a Pulumi secret, so a script sent that way is not
 * shown by `pulumi preview`; the offline render shows every script decoded in either case.
 */

/** What PowerShell's command line starts with; the encoded script follows. */
export const POWERSHELL_PREFIX = "powershell -NoProfile -NonInteractive -ExecutionPolicy Bypass -EncodedCommand ";

/**
 * Longest command line sent as is. OpenSSH on Windows runs the command through cmd.exe, whose
 * limit is 8191 characters; longer scripts go on stdin behind a short loader.
 */
export const MAX_COMMAND_LINE = 8000;

/** Characters PowerShell treats as a single quote: ' and the Unicode single quotation marks. */
const SINGLE_QUOTES = /['\u2018\u2019\u201A\u201B]/g;

/** A PowerShell single-quoted literal whose value is exactly `value` (no expansion of $ or `). */
export function psQuote(value: string): string {
  return `'${value.replace(SINGLE_QUOTES, (quote) => quote + quote)}'`;
}

/** A PowerShell integer literal; throws for anything but a safe integer. */
export function psInt(value: number): string {
  if (!Number.isSafeInteger(value)) throw new Error(`expected an integer, got ${value}`);
  return String(value);
}

/** `$true` / `$false`. */
export function psBool(value: boolean): string {
  return value ? "$true" : "$false";
}

/** A PowerShell array of single-quoted literals, e.g. @('a', 'b'). */
export function psArray(values: readonly string[]): string {
  return `@(${values.map(psQuote).join(", ")})`;
}

/** The command line that runs `script`: powershell ... -EncodedCommand <base64 of UTF-16LE>. */
export function encodeCommand(script: string): string {
  return POWERSHELL_PREFIX + Buffer.from(script, "utf16le").toString("base64");
}

/** The script of a command line made by encodeCommand. */
export function decodeCommand(commandLine: string): string {
  if (!commandLine.startsWith(POWERSHELL_PREFIX)) throw new Error("not an encoded PowerShell command line");
  const encoded = commandLine.slice(POWERSHELL_PREFIX.length);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) throw new Error("the encoded command is not base64");
  return Buffer.from(encoded, "base64").toString("utf16le");
}

/** The first lines of every script: stop on any error and report it with the step's name. */
export function psFrame(stepName: string): string {
  return [
    "$ErrorActionPreference = 'Stop'",
    "$ProgressPreference = 'SilentlyContinue'",
    "Set-StrictMode -Version 3.0",
    "trap {",
    `  [Console]::Error.WriteLine(${psQuote(`step '${stepName}' failed: `)} + $_.Exception.Message)`,
    "  exit 1",
    "}",
  ].join("\n");
}

/** Reads the stdin document (see the file comment) into $Stdin. */
export const READ_STDIN = "$Stdin = [Console]::In.ReadToEnd() | ConvertFrom-Json";

/** A complete script: the frame, optionally the stdin read, the body, and `exit 0`. */
export function psScript(stepName: string, body: string, options: { readsStdin?: boolean } = {}): string {
  const parts = [psFrame(stepName)];
  if (options.readsStdin === true) parts.push(READ_STDIN);
  parts.push(body.replace(/\s+$/, ""), "exit 0");
  return parts.join("\n") + "\n";
}

/** The stdin document; JSON with every non-ASCII character escaped. */
export function stdinDocument(document: { script?: string; secrets: Record<string, string> }): string {
  const ordered = document.script === undefined ? { secrets: document.secrets } : { script: document.script, secrets: document.secrets };
  return JSON.stringify(ordered).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** A step's PowerShell, ready for remoteStep. */
export interface PowerShellCommand {
  /** The command line (always `powershell ... -EncodedCommand ...`). */
  readonly commandLine: string;
  /** The script that runs, framed (what the offline render and the golden files show). */
  readonly script: string;
  /** True when `script` travels in the stdin document because the command line would be too long. */
  readonly scriptOnStdin: boolean;
}

/**
 * The command for one step. `readsStdin` says the body uses `$Stdin.secrets`; a step whose script is
 * too long for one command line reads stdin too (then the caller must send stdinDocument({script, ...})).
 */
export function powershellCommand(stepName: string, body: string, options: { readsStdin?: boolean } = {}): PowerShellCommand {
  const script = psScript(stepName, body, options);
  const direct = encodeCommand(script);
  if (direct.length <= MAX_COMMAND_LINE) return { commandLine: direct, script, scriptOnStdin: false };
  // The loader reads the document itself, so the script it runs must not read stdin again.
  const inner = psScript(stepName, body);
  const loader = psScript(stepName, ". ([ScriptBlock]::Create($Stdin.script))", { readsStdin: true });
  return { commandLine: encodeCommand(loader), script: inner, scriptOnStdin: true };
}

/**
 * The stdin for a command: undefined when it needs none, else the JSON document with the script
 * (when it travels on stdin) and the secrets (plain strings here; components pass resolved Outputs).
 */
export function stdinFor(command: PowerShellCommand, secrets: Record<string, string> = {}): string | undefined {
  if (command.scriptOnStdin) return stdinDocument({ script: command.script, secrets });
  if (Object.keys(secrets).length === 0) return undefined;
  return stdinDocument({ secrets });
}
