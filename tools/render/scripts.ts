/** Recovers the script a command resource runs, from its command line (and stdin, where the script travels there). */
import { isSecretValue } from "./mockRuntime";

export interface ExtractedScript {
  readonly language: "powershell" | "bash";
  readonly text: string;
}

const ENCODED = /-EncodedCommand\s+([A-Za-z0-9+/=]+)/;
const BASE64_PIPE = /(?:echo|printf '%s')\s+'?([A-Za-z0-9+/=]{16,})'?\s*\|\s*base64\s+-d/;

/** `sudo -n bash -c '<script>' '<tag>'` as components/scripts/debian/bash.ts builds it. */
const SUDO_BASH = /^sudo -n bash -c ('(?:[^']|'\\'')*')(?: '[^']*')?$/s;

/** The value of one single-quoted shell word whose quotes are written as '\''. */
export function unquoteShell(word: string): string {
  return word.slice(1, -1).replace(/'\\''/g, "'");
}

export function decodePowerShell(commandLine: string): string | undefined {
  const match = ENCODED.exec(commandLine);
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], "base64").toString("utf16le");
}

export function extractScript(inputs: Record<string, unknown>, phase: "create" | "delete"): ExtractedScript | undefined {
  const raw = inputs[phase];
  const commandLine = isSecretValue(raw) ? String(raw.value) : typeof raw === "string" ? raw : undefined;
  if (commandLine === undefined) return undefined;
  const onStdin = phase === "create" ? scriptOnStdin(inputs.stdin) : undefined;
  if (onStdin !== undefined) return { language: "powershell", text: withNewline(onStdin) };
  const powershell = decodePowerShell(commandLine);
  if (powershell !== undefined) return { language: "powershell", text: withNewline(powershell) };
  const sudo = SUDO_BASH.exec(commandLine);
  if (sudo?.[1] !== undefined) return { language: "bash", text: withNewline(unquoteShell(sudo[1])) };
  const piped = BASE64_PIPE.exec(commandLine);
  if (piped?.[1] !== undefined) return { language: "bash", text: withNewline(Buffer.from(piped[1], "base64").toString("utf8")) };
  return { language: "bash", text: withNewline(commandLine) };
}

/**
 * A script too long for a command line travels in the stdin document `{script, secrets}`
 * (components/scripts/powershell.ts). Only `script` is taken; a render's secrets are placeholders anyway.
 */
function scriptOnStdin(stdin: unknown): string | undefined {
  const text = isSecretValue(stdin) ? stdin.value : stdin;
  if (typeof text !== "string") return undefined;
  try {
    const document = JSON.parse(text) as { script?: unknown };
    return typeof document.script === "string" ? document.script : undefined;
  } catch {
    return undefined;
  }
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
