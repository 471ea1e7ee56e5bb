/** Recovers the script a command resource runs, from its command line (and stdin, where the script travels there). */
import { isSecretValue } from "./mockRuntime";

export interface ExtractedScript {
  readonly language: "powershell" | "bash";
  readonly text: string;
}

const ENCODED = /-EncodedCommand\s+([A-Za-z0-9+/=]+)/;
const BASE64_PIPE = /(?:echo|printf '%s')\s+'?([A-Za-z0-9+/=]{16,})'?\s*\|\s*base64\s+-d/;

export function decodePowerShell(commandLine: string): string | undefined {
  const match = ENCODED.exec(commandLine);
  return match?.[1] === undefined ? undefined : Buffer.from(match[1], "base64").toString("utf16le");
}

export function extractScript(inputs: Record<string, unknown>, phase: "create" | "delete"): ExtractedScript | undefined {
  const raw = inputs[phase];
  const commandLine = isSecretValue(raw) ? String(raw.value) : typeof raw === "string" ? raw : undefined;
  if (commandLine === undefined) return undefined;
  const powershell = decodePowerShell(commandLine);
  if (powershell !== undefined) return { language: "powershell", text: withNewline(powershell) };
  const piped = BASE64_PIPE.exec(commandLine);
  if (piped?.[1] !== undefined) return { language: "bash", text: withNewline(Buffer.from(piped[1], "base64").toString("utf8")) };
  return { language: "bash", text: withNewline(commandLine) };
}

function withNewline(text: string): string {
  return text.endsWith("\n") ? text : `${text}\n`;
}
