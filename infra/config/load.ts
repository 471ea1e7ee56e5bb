/**
 * Reads the stack's `opentwin:*` configuration, validates all of it, and splits secrets from plain values.
 * Nothing here registers a resource: a bad stack stops before anything is created.
 */
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parseStackKeys, STACK_KEYS, type PartialParse } from "./parse";
import { CONFIG_NAMESPACE, ConfigError, keyOf, type Problem } from "./problems";
import { checkParsedRules } from "./rules";
import { SECRET_PATHS, type StackConfig } from "./schema";
import { fullConfigKey, isUnderSecurePath, KNOWN_NAMESPACES, scanStackFile, topLevelKey } from "./securePaths";

export { ConfigError };

/** Where configuration comes from: the Pulumi runtime in a real run, the stack file in a render. */
export interface ConfigSource {
  /** Every key set for the stack, in every namespace (`opentwin:network`, `pulumi:tags`, ...). */
  keys(): string[];
  /** The raw value of a key as keys() lists it: JSON text for structured values, plain text otherwise. */
  get(key: string): string | undefined;
  /**
   * True when the stack file holds the value at this full key path (`opentwin:mongodb.adminPassword`,
   * `opentwin:hosts[0].sshPrivateKey`), or a value that contains it, as a `secure:` value.
   */
  isSecretPath(path: string): boolean;
}

/** Where Pulumi.yaml (`stackConfigDir: stacks`) keeps the stack files, relative to the project directory. */
export const STACK_CONFIG_DIR = "stacks";

/** Text a render puts where a secret would go; also what plan.json shows for any secret. */
export const SECRET_PLACEHOLDER = "[secret]";

export interface StackSecrets {
  /** SSH private key per Hyper-V host name. */
  readonly hostSshKeys: Readonly<Record<string, pulumi.Output<string>>>;
  readonly vmSshPrivateKey: pulumi.Output<string>;
  readonly windowsAdminPassword: pulumi.Output<string>;
  readonly mongoAdminPassword: pulumi.Output<string>;
  readonly mongoAdminPasswordEncrypted: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  /** Supplied PKI mode: private key per service name (and "mongodb"). */
  readonly suppliedKeys: Readonly<Record<string, pulumi.Output<string>>>;
}

export interface LoadedStack {
  /** The validated configuration with every secret field removed. */
  readonly config: StackConfig;
  readonly secrets: StackSecrets;
}

export interface LoadOptions {
  /** Render: a missing secret becomes SECRET_PLACEHOLDER instead of an error. */
  readonly allowMissingSecrets: boolean;
}

/**
 * A real run: values from the Pulumi runtime. The runtime only knows which top-level keys hold a secret,
 * so the secure paths come from the stack file itself (the program runs in the project directory); a key
 * the file does not hold (project defaults, an environment) and a file that cannot be read fall back to
 * the runtime's top-level answer.
 */
export function runtimeConfigSource(): ConfigSource {
  const file = scanStackFile(join(STACK_CONFIG_DIR, `Pulumi.${pulumi.getStack()}.yaml`));
  // isConfigSecret is exported by the runtime but missing from its type declarations.
  const isTopLevelSecret = (key: string) => (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key);
  return {
    keys: () => Object.keys(pulumi.runtime.allConfig()),
    get: (key) => pulumi.runtime.getConfig(key),
    isSecretPath: (path) => {
      const top = topLevelKey(path);
      if (file === undefined || !(top in file.config)) return isTopLevelSecret(top);
      return isUnderSecurePath(file.securePaths, path);
    },
  };
}

/**
 * Validates the whole configuration and reports every problem at once: unknown keys, each top-level
 * key against its schema, every rule whose keys parsed, and the secrets. Throws ConfigError.
 */
export function loadStack(source: ConfigSource, options: LoadOptions): LoadedStack {
  const { raw, problems: keyProblems } = readRaw(source);
  const parts = parseStackKeys(raw);
  // Unknown keys and schema errors echo the raw value: never one the stack file holds as a secret.
  const problems = [...keyProblems, ...parts.problems].map((p) => (p.value !== undefined && source.isSecretPath(p.key) ? { ...p, value: "(hidden)" } : p));
  problems.push(...checkParsedRules(parts.config, parts.parsed), ...secretProblems(parts, source, options));
  if (problems.length > 0) throw new ConfigError(problems);
  return splitSecrets(parts.config as StackConfig);
}

function readRaw(source: ConfigSource): { raw: Record<string, unknown>; problems: Problem[] } {
  const known: string[] = STACK_KEYS;
  const raw: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const listed of source.keys()) {
    // Pulumi reads a key without a namespace as the project's; keys() may list it either way.
    const fullKey = fullConfigKey(listed);
    const [namespace, key] = splitKey(fullKey);
    const text = source.get(listed);
    const value = text === undefined ? undefined : parseValue(text);
    if (namespace !== CONFIG_NAMESPACE) {
      if (!(KNOWN_NAMESPACES as readonly string[]).includes(namespace)) {
        problems.push({ key: fullKey, value, problem: `is not a known key (the namespace "${namespace}" is unknown, a typo?)`, allowed: `keys in the namespaces ${KNOWN_NAMESPACES.join(", ")}` });
      }
      continue;
    }
    if (!known.includes(key)) {
      problems.push({ key: fullKey, value, problem: "is not a known key (a typo?)", allowed: `the keys ${known.map((k) => `${CONFIG_NAMESPACE}:${k}`).join(", ")}` });
      continue;
    }
    raw[key] = value;
  }
  return { raw, problems };
}

function splitKey(fullKey: string): [string, string] {
  const colon = fullKey.indexOf(":");
  return colon === -1 ? ["", fullKey] : [fullKey.slice(0, colon), fullKey.slice(colon + 1)];
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Each configured secret path with its concrete key path, e.g. hosts.*.sshPrivateKey -> hosts[0].sshPrivateKey. */
function expand(config: StackConfig, pattern: string): { path: (string | number)[]; value: unknown }[] {
  let matches: { path: (string | number)[]; value: unknown }[] = [{ path: [], value: config }];
  const parts = pattern.split(".");
  parts.forEach((part, index) => {
    const last = index === parts.length - 1;
    matches = matches.flatMap(({ path, value }) => {
      if (value === null || typeof value !== "object") return [];
      const entries = part === "*" ? Object.entries(value) : [[part, (value as Record<string, unknown>)[part]] as const];
      return entries
        .filter(([, v]) => last || v !== undefined)
        .map(([k, v]) => ({ path: [...path, Array.isArray(value) ? Number(k) : k], value: v }));
    });
  });
  return matches;
}

/** Secrets in plain text (in every key that parsed) and, once everything parsed, missing secrets. */
function secretProblems(parts: PartialParse, source: ConfigSource, options: LoadOptions): Problem[] {
  const problems: Problem[] = [];
  const complete = parts.parsed.size === STACK_KEYS.length;
  const config = parts.config as StackConfig;
  for (const { path: pattern, requiredWhen } of SECRET_PATHS) {
    if (!parts.parsed.has(pattern.split(".")[0] as keyof StackConfig)) continue;
    for (const { path, value } of expand(config, pattern)) {
      if (value === undefined) {
        if (complete && !options.allowMissingSecrets && requiredWhen(config)) {
          problems.push({ key: keyOf(path), value: undefined, problem: "is a required secret that the stack does not set", allowed: `a secure value: pulumi config set --secret --path '${keyOf(path)}' ...` });
        }
      } else if (!source.isSecretPath(keyOf(path))) {
        problems.push({ key: keyOf(path), value: "(hidden)", problem: "is a secret stored in plain text in the stack file", allowed: `a secure value: pulumi config set --secret --path '${keyOf(path)}' ...` });
      }
    }
  }
  return problems;
}

function secretOf(value: string | undefined): pulumi.Output<string> {
  return pulumi.secret(value ?? SECRET_PLACEHOLDER);
}

function splitSecrets(config: StackConfig): LoadedStack {
  const secrets: StackSecrets = {
    hostSshKeys: Object.fromEntries(config.hosts.map((h) => [h.name, secretOf(h.sshPrivateKey)])),
    vmSshPrivateKey: secretOf(config.vmAccess?.sshPrivateKey),
    windowsAdminPassword: secretOf(config.windowsWorkers.adminPassword),
    mongoAdminPassword: secretOf(config.mongodb.adminPassword),
    mongoAdminPasswordEncrypted: secretOf(config.mongodb.adminPasswordEncrypted),
    kubeconfig: secretOf(config.cluster.kubeconfig),
    suppliedKeys: Object.fromEntries(Object.entries(config.pki.certificates ?? {}).map(([name, c]) => [name, secretOf(c.privateKey)])),
  };
  const plain: StackConfig = {
    ...config,
    hosts: config.hosts.map((h) => ({ ...h, sshPrivateKey: undefined })),
    vmAccess: config.vmAccess && { ...config.vmAccess, sshPrivateKey: undefined },
    windowsWorkers: { ...config.windowsWorkers, adminPassword: undefined },
    mongodb: { ...config.mongodb, adminPassword: undefined, adminPasswordEncrypted: undefined },
    cluster: { ...config.cluster, kubeconfig: undefined },
    pki: {
      ...config.pki,
      certificates:
        config.pki.certificates &&
        Object.fromEntries(Object.entries(config.pki.certificates).map(([n, c]) => [n, { ...c, privateKey: undefined }])),
    },
  };
  return { config: plain, secrets };
}
