/**
 * Runs a rendered Debian node script under bash in a throw-away root, with every command that
 * changes a machine replaced by a logging stub (tools/checks/stubs/stub.sh). Only an allow-list of
 * harmless tools (coreutils, awk, sed, ...) is on PATH besides the stubs, so a script that calls
 * anything else fails with "command not found".
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";

const STUB = join(__dirname, "stubs", "stub.sh");
const TRUE_STUB = join(__dirname, "stubs", "true-stub");

/** Commands replaced by the stub. */
export const STUBBED = [
  "apt-get", "systemctl", "kubeadm", "kubectl", "swapon", "swapoff", "sysctl", "modprobe", "containerd",
  "curl", "wget", "sha256sum", "sha512sum", "tar", "crictl", "ctr", "kubelet", "journalctl", "reboot", "shutdown", "sudo", "sleep", "iptables", "iptables-save", "ip",
] as const;

/** Commands that only read: a second run may call them. Everything else the stubs log changes the machine. */
export function isStateChanging(line: string): boolean {
  const [name, ...args] = line.replace(/^\+ /, "").split(" ");
  switch (name) {
    case "systemctl":
      return !["is-enabled", "is-active", "status", "show", "cat"].includes(args[0] ?? "");
    case "swapon":
    case "iptables-save":
    case "sudo":
    case "sleep":
    case "sha256sum":
    case "sha512sum":
      return false;
    case "containerd":
      return !(args[0] === "config" && args[1] === "default");
    case "kubeadm":
      return !["version", "config"].includes(args[0] ?? "");
    case "ip":
      return args[0] === "link" ? args[1] !== "show" : !(args[0] === "-o" && args[1] === "link");
    case "kubectl":
      return !["get", "version", "wait", "config", "describe", "auth"].includes(kubectlVerb(args));
    default:
      return true;
  }
}

/** kubectl's verb: the first word that is neither a flag nor a flag's value. */
function kubectlVerb(args: readonly string[]): string {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (["--kubeconfig", "-n", "--namespace", "--context", "-l", "--selector"].includes(arg)) i++;
    else if (!arg.startsWith("-")) return arg;
  }
  return "";
}

/**
 * State-changing calls that are safe to repeat by the tool's own contract, so a second run may make them:
 * deletes with --ignore-not-found, declarative apply, label/annotate --overwrite, cordon/drain/uncordon
 * of a node (a no-op when already in that state), and `kubeadm token create` (each join needs a fresh,
 * short-lived token; it changes no node).
 */
export function isRepeatable(line: string): boolean {
  const [name, ...args] = line.replace(/^\+ /, "").split(" ");
  if (name === "kubectl") {
    const verb = kubectlVerb(args);
    if (verb === "delete") return args.includes("--ignore-not-found") || args.includes("--ignore-not-found=true");
    if (["label", "annotate"].includes(verb)) return args.includes("--overwrite");
    return ["apply", "cordon", "drain", "uncordon"].includes(verb);
  }
  if (name !== "kubeadm") return false;
  // A fresh token / certificate key per join is the design: neither changes a node.
  return (args[0] === "token" && args[1] === "create") || (args[0] === "init" && args[1] === "phase" && args[2] === "upload-certs");
}

/** Real tools the scripts may use. */
const ALLOWED = [
  "bash", "sh", "cat", "mkdir", "mktemp", "cmp", "install", "awk", "rm", "mv", "cp", "dirname", "basename", "tr",
  "tail", "head", "chmod", "chown", "printf", "echo", "env", "sed", "grep", "touch", "ln", "date", "stat",
  "sort", "uniq", "id", "true", "false", "test", "[", "wc", "cut", "readlink", "realpath", "diff", "tee", "base64", "sync", "ls", "xargs", "find",
];

export interface Sandbox {
  readonly dir: string;
  readonly root: string;
  readonly log: string;
  readonly state: string;
}

export function makeSandbox(options: { containerdDefault: string; parent?: string }): Sandbox {
  const parent = options.parent ?? tmpdir();
  mkdirSync(parent, { recursive: true });
  const dir = mkdtempSync(join(parent, "opentwin-bash-"));
  const root = join(dir, "root");
  const bin = join(dir, "bin");
  const sys = join(dir, "sysbin");
  const state = join(dir, "state");
  for (const d of [root, bin, sys, state, join(root, "etc")]) mkdirSync(d, { recursive: true });
  for (const name of STUBBED) symlinkSync(STUB, join(bin, name));
  copyFileSync(TRUE_STUB, join(bin, "true-stub"));
  chmodSync(join(bin, "true-stub"), 0o755);
  for (const tool of ALLOWED) {
    for (const d of ["/usr/bin", "/bin", "/usr/sbin"]) {
      if (existsSync(join(d, tool))) {
        symlinkSync(join(d, tool), join(sys, tool));
        break;
      }
    }
  }
  writeFileSync(join(root, "etc", "fstab"), "UUID=1234 / ext4 errors=remount-ro 0 1\n/dev/sda3 none swap sw 0 0\n");
  const log = join(dir, "log");
  writeFileSync(log, "");
  writeFileSync(join(dir, "containerd-default.toml"), options.containerdDefault);
  return { dir, root, log, state };
}

export interface RunResult {
  readonly status: number;
  readonly stderr: string;
  /** Stub invocations of this run ("+ name args") interleaved with the script's own stderr lines. */
  readonly transcript: string[];
  /** Only the stub invocations. */
  readonly calls: string[];
}

/** Fake join material in the form kubeadm prints it (no real secret). */
export const FAKE_JOIN_STDIN =
  "kubeadm join 192.0.2.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:" +
  "0".repeat(64) + "\n" + "1".repeat(64) + "\n";

export function runScript(sandbox: Sandbox, script: string, options: { fail?: string; failAt?: number; stdin?: string } = {}): RunResult {
  const scriptPath = join(sandbox.dir, "script.sh");
  writeFileSync(scriptPath, script);
  const before = readFileSync(sandbox.log, "utf8").length;
  // Call counters restart per run so STUB_FAIL_AT counts within one run.
  for (const f of readdirSync(sandbox.state)) if (f.startsWith("calls-")) writeFileSync(join(sandbox.state, f), "0");
  const result = spawnSync("/bin/bash", ["-c", `exec /bin/bash "$1" 2>> "$STUB_LOG"`, "run", scriptPath], {
    input: options.stdin ?? FAKE_JOIN_STDIN,
    encoding: "utf8",
    timeout: 60_000,
    killSignal: "SIGKILL",
    env: {
      PATH: `${join(sandbox.dir, "bin")}:${join(sandbox.dir, "sysbin")}`,
      HOME: sandbox.dir,
      TMPDIR: sandbox.dir,
      LANG: "C",
      OPENTWIN_ROOT: sandbox.root,
      STUB_LOG: sandbox.log,
      STUB_STATE: sandbox.state,
      STUB_BIN: join(sandbox.dir, "bin"),
      STUB_CONTAINERD_DEFAULT: join(sandbox.dir, "containerd-default.toml"),
      ...(options.fail === undefined ? {} : { STUB_FAIL: options.fail, STUB_FAIL_AT: String(options.failAt ?? 1) }),
    },
  });
  const transcript = readFileSync(sandbox.log, "utf8").slice(before).split("\n").filter((l) => l !== "");
  const stderrLines = transcript.filter((l) => !l.startsWith("+ "));
  return {
    status: result.status ?? -1,
    stderr: stderrLines.join("\n"),
    transcript,
    calls: transcript.filter((l) => l.startsWith("+ ")),
  };
}

/** The steps `main` runs, in order (renderBashScript's `run_step NAME` lines). */
export function declaredSteps(script: string): string[] {
  const main = /\nmain\(\) \{\n([\s\S]*?)\n\}/.exec(script)?.[1] ?? "";
  return [...main.matchAll(/^\s*run_step ([a-z_0-9]+)$/gm)].map((m) => m[1]!);
}

/** The steps a run announced on stderr ("<title>: <step>"), in order. */
export function announcedSteps(transcript: readonly string[], steps: readonly string[]): string[] {
  const known = new Set(steps);
  return transcript.map((l) => /^[a-z0-9-]+: ([a-z_0-9]+)$/.exec(l)?.[1]).filter((s): s is string => s !== undefined && known.has(s));
}

/** For each stub call, the step that was running when it was made. */
export function callsByStep(transcript: readonly string[], steps: readonly string[]): { step: string; call: string }[] {
  const known = new Set(steps);
  let step = "start";
  const out: { step: string; call: string }[] = [];
  for (const line of transcript) {
    const announced = /^[a-z0-9-]+: ([a-z_0-9]+)$/.exec(line)?.[1];
    if (announced !== undefined && known.has(announced)) step = announced;
    else if (line.startsWith("+ ")) out.push({ step, call: line.slice(2) });
  }
  return out;
}

/** path -> size:mtime of every file under the root, to prove a second run writes nothing. */
export function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        out.set(relative(root, path), `${s.size}:${s.mtimeMs}`);
      }
    }
  };
  walk(root);
  return out;
}

/** The script inside `sudo -n bash -c '<script>' '<tag>'` (the command line form), or the text itself. */
export function unwrapSudoBash(text: string): string {
  const match = /^sudo -n bash -c '((?:[^']|'\\'')*)' '[^']*'\n?$/.exec(text);
  return match?.[1] === undefined ? text : match[1].replace(/'\\''/g, "'");
}

export function capturedKubeadmConfigs(sandbox: Sandbox): { name: string; text: string }[] {
  return readdirSync(sandbox.state)
    .filter((f) => f.startsWith("captured-kubeadm-"))
    .sort()
    .map((f) => ({ name: f, text: readFileSync(join(sandbox.state, f), "utf8") }));
}
