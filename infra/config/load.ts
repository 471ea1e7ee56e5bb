/**
 * Reads the stack's `opentwin:*` configuration, validates all of it, and splits secrets from plain values.
 * Nothing here registers a resource: a bad stack stops before anything is created.
 */
import * as pulumi from "@pulumi/pulumi";
import { parseStack } from "./parse";
import { CONFIG_NAMESPACE, ConfigError, keyOf, type Problem } from "./problems";

export { ConfigError };
import { checkRules } from "./rules";
import { SECRET_PATHS, stackSchema, type StackConfig } from "./schema";

/** Where configuration comes from: the Pulumi runtime in a real run, the stack file in a render. */
export interface ConfigSource {
  /** Every key set for the stack, with its namespace (`opentwin:network`). */
  keys(): string[];
  /** The raw value: JSON text for structured values, plain text otherwise. */
  get(key: string): string | undefined;
  /** True when the stack file holds the key (or a value nested in it) as a `secure:` value. */
  isSecret(key: string): boolean;
}

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

export function runtimeConfigSource(): ConfigSource {
  return {
    keys: () => Object.keys(pulumi.runtime.allConfig()),
    get: (key) => pulumi.runtime.getConfig(key),
    // isConfigSecret is exported by the runtime but missing from its type declarations.
    isSecret: (key) => (pulumi.runtime as unknown as { isConfigSecret(k: string): boolean }).isConfigSecret(key),
  };
}

export function loadStack(source: ConfigSource, options: LoadOptions): LoadedStack {
  const { raw, problems } = readRaw(source);
  const parsed = parseStack(raw);
  if (!parsed.ok) throw new ConfigError([...problems, ...parsed.problems]);
  const config = parsed.config;
  problems.push(...checkRules(config), ...secretProblems(config, source, options));
  if (problems.length > 0) throw new ConfigError(problems);
  return splitSecrets(config);
}

function readRaw(source: ConfigSource): { raw: Record<string, unknown>; problems: Problem[] } {
  const known = Object.keys(stackSchema.shape);
  const raw: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const fullKey of source.keys()) {
    const [namespace, key] = splitKey(fullKey);
    if (namespace !== CONFIG_NAMESPACE) continue;
    const text = source.get(fullKey);
    const value = text === undefined ? undefined : parseValue(text);
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

function secretProblems(config: StackConfig, source: ConfigSource, options: LoadOptions): Problem[] {
  const problems: Problem[] = [];
  for (const { path: pattern, requiredWhen } of SECRET_PATHS) {
    for (const { path, value } of expand(config, pattern)) {
      const topKey = `${CONFIG_NAMESPACE}:${String(path[0])}`;
      if (value === undefined) {
        if (requiredWhen(config) && !options.allowMissingSecrets) {
          problems.push({ key: keyOf(path), value: undefined, problem: "is a required secret that the stack does not set", allowed: `a secure value: pulumi config set --secret --path '${keyOf(path)}' ...` });
        }
      } else if (!source.isSecret(topKey)) {
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
