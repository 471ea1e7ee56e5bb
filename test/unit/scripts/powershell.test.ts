import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeCommand,
  encodeCommand,
  MAX_COMMAND_LINE,
  POWERSHELL_PREFIX,
  powershellCommand,
  psQuote,
  psScript,
  stdinDocument,
  stdinFor,
} from "../../../components/scripts/powershell";

const QUOTES = new Set(["'", "\u2018", "\u2019", "\u201A", "\u201B"]);

/**
 * Reference reader of a PowerShell single-quoted string literal (language spec, verbatim string
 * literals; the tokenizer keeps the second character of a doubled quote). Returns the value and
 * how many characters the literal took.
 */
function readSingleQuoted(text: string): { value: string; length: number } {
  const chars = Array.from(text);
  if (!QUOTES.has(chars[0] ?? "")) throw new Error("does not start with a single quote");
  let value = "";
  let i = 1;
  for (;;) {
    const c = chars[i];
    if (c === undefined) throw new Error("unterminated literal");
    if (QUOTES.has(c)) {
      const next = chars[i + 1];
      if (next === undefined || !QUOTES.has(next)) return { value, length: i + 1 };
      value += next;
      i += 2;
      continue;
    }
    value += c;
    i += 1;
  }
}

const tricky = fc.oneof(
  fc.string({ unit: "grapheme" }),
  fc.string({ unit: fc.constantFrom("'", "\u2018", "\u2019", "\u201A", "\u201B", "$", "`", "\n", "\r", '"', "a", " ", "(", ")", "\\") }),
  fc.string({ unit: "binary" }),
);

describe("psQuote", () => {
  it("yields a literal that PowerShell reads back as the original, and nothing after it", () => {
    fc.assert(
      fc.property(tricky, (value) => {
        const quoted = psQuote(value);
        const read = readSingleQuoted(quoted);
        expect(read.value).toBe(value);
        expect(read.length).toBe(Array.from(quoted).length);
      }),
      { numRuns: 2000 },
    );
  });

  it("doubles each kind of single quote and leaves $ and backticks alone", () => {
    expect(psQuote("O'Brien")).toBe("'O''Brien'");
    expect(psQuote("a\u2019b")).toBe("'a\u2019\u2019b'");
    expect(psQuote("$env:X `n")).toBe("'$env:X `n'");
  });
});

describe("encodeCommand / decodeCommand", () => {
  it("round-trips any script", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (script) => {
        expect(decodeCommand(encodeCommand(script))).toBe(script);
      }),
    );
  });

  it("uses the fixed PowerShell prefix and base64 of UTF-16LE", () => {
    const line = encodeCommand("exit 0");
    expect(line.startsWith(POWERSHELL_PREFIX)).toBe(true);
    expect(line.slice(POWERSHELL_PREFIX.length)).toBe(Buffer.from("exit 0", "utf16le").toString("base64"));
    expect(() => decodeCommand("cmd /c dir")).toThrow();
  });
});

describe("psScript", () => {
  it("starts with the frame: stop on errors, no progress, strict mode, a trap naming the step", () => {
    const script = psScript("join O'Brien", "Write-Output 1");
    const lines = script.split("\n");
    expect(lines.slice(0, 3)).toEqual(["$ErrorActionPreference = 'Stop'", "$ProgressPreference = 'SilentlyContinue'", "Set-StrictMode -Version 3.0"]);
    expect(script).toContain("trap {");
    expect(script).toContain(`[Console]::Error.WriteLine('step ''join O''Brien'' failed: ' + $_.Exception.Message)`);
    expect(script).toContain("  exit 1");
    expect(script.trimEnd().endsWith("exit 0")).toBe(true);
  });
});

describe("powershellCommand", () => {
  it("keeps short scripts on the command line", () => {
    const cmd = powershellCommand("short", "Write-Output 'hi'");
    expect(cmd.scriptOnStdin).toBe(false);
    expect(decodeCommand(cmd.commandLine)).toBe(cmd.script);
    expect(stdinFor(cmd)).toBeUndefined();
  });

  it("sends long scripts on stdin behind a short loader that stays under cmd.exe's limit", () => {
    const body = Array.from({ length: 400 }, (_, i) => `Write-Output 'line ${i}'`).join("\n");
    const cmd = powershellCommand("long", body, { readsStdin: true });
    expect(cmd.scriptOnStdin).toBe(true);
    expect(cmd.commandLine.length).toBeLessThanOrEqual(MAX_COMMAND_LINE);
    const loader = decodeCommand(cmd.commandLine);
    expect(loader).toContain("$Stdin = [Console]::In.ReadToEnd() | ConvertFrom-Json");
    expect(loader).toContain(". ([ScriptBlock]::Create($Stdin.script))");
    expect(cmd.script).not.toContain("[Console]::In.ReadToEnd()");
    const document = JSON.parse(stdinFor(cmd, { token: "x" })!) as { script: string; secrets: Record<string, string> };
    expect(document).toEqual({ script: cmd.script, secrets: { token: "x" } });
  });

  it("writes the stdin document as ASCII that parses back to the same values", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme" }), fc.string({ unit: "grapheme" }), (script, secret) => {
        const text = stdinDocument({ script, secrets: { s: secret } });
        expect(/^[\x00-\x7e]*$/.test(text)).toBe(true);
        expect(JSON.parse(text)).toEqual({ script, secrets: { s: secret } });
      }),
    );
  });
});
