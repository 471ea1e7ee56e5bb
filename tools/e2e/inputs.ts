/**
 * What the e2e tiers add to stacks/Pulumi.e2e.yaml at test time: a CA and one certificate per
 * service (with the SANs the program derives, pkiServices), the MongoDB passwords, a kubeconfig, and
 * the sentinel strings that must never appear in clear text in CLI output, state or the stack file.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { parse } from "yaml";
import { readFileSync } from "node:fs";
import { parseStack } from "../../infra/config/parse";
import type { StackConfig } from "../../infra/config/schema";
import { pkiServices } from "../../infra/workloads";
import type { PkiServiceCertificate } from "../../components/pki";
import { projectKeys, readStackFile, type StackFile } from "../render/stackFile";
import { issue, makeCa, type Ca, type Pem } from "./pki";
import { REPO_ROOT, type TempProject } from "./project";

export interface E2eInputs {
  readonly ca: Ca;
  readonly services: readonly PkiServiceCertificate[];
  readonly certificates: Readonly<Record<string, Pem>>;
  readonly mongoPassword: string;
  readonly mongoPasswordEncrypted: string;
  readonly kubeconfig: string;
  /** Plain (non-secret) overrides, e.g. cluster.apiServer of the running cluster. */
  readonly plain: readonly { path: (string | number)[]; value: unknown }[];
}

/** The stack's parsed configuration, before rules and secrets (enough for the SAN lists). */
export function parsedStack(stack: string): StackConfig {
  const document = parse(readFileSync(join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const raw = projectKeys(document.config);
  const parsed = parseStack(raw);
  if (!parsed.ok) throw new Error(`stacks/Pulumi.${stack}.yaml does not parse: ${JSON.stringify(parsed.problems)}`);
  return parsed.config;
}

export function generateInputs(workDir: string, kubeconfig: string, plain: E2eInputs["plain"] = []): E2eInputs {
  const services = pkiServices(parsedStack("e2e"));
  const ca = makeCa(join(workDir, "ca"), "OpenTwin e2e CA");
  const certificates = Object.fromEntries(
    services.map((s) => [s.name, issue(ca, { name: s.name, commonName: s.commonName, dnsNames: s.dnsNames, ipAddresses: s.ipAddresses })]),
  );
  return {
    ca,
    services,
    certificates,
    mongoPassword: `e2e-mongo-${randomBytes(12).toString("hex")}`,
    mongoPasswordEncrypted: `e2e-mongo-enc-${randomBytes(12).toString("hex")}`,
    kubeconfig,
    plain,
  };
}

/** Strings that prove a leak: a base64 line from the middle of each private key, the passwords, extra ones given. */
export function sentinels(inputs: E2eInputs, extra: readonly string[] = []): string[] {
  const keyLines = [inputs.ca.privateKey, ...Object.values(inputs.certificates).map((c) => c.privateKey)].map(middleLine);
  return [...keyLines, inputs.mongoPassword, inputs.mongoPasswordEncrypted, ...extra];
}

export function middleLine(pem: string): string {
  const lines = pem.trim().split("\n").filter((l) => !l.startsWith("-----"));
  return lines[Math.floor(lines.length / 2)]!;
}

/** Writes the inputs into a temporary project: public PEMs into the stack file, secrets via `config set --secret`. */
export function applyInputs(project: TempProject, inputs: E2eInputs): void {
  project.setPlain(["pki", "caCertificate"], inputs.ca.certificate);
  for (const [name, pem] of Object.entries(inputs.certificates)) project.setPlain(["pki", "certificates", name, "certificate"], pem.certificate);
  for (const { path, value } of inputs.plain) project.setPlain(path, value);
  for (const [name, pem] of Object.entries(inputs.certificates)) project.setSecret(`pki.certificates.${name}.privateKey`, pem.privateKey);
  project.setSecret("mongodb.adminPassword", inputs.mongoPassword);
  project.setSecret("mongodb.adminPasswordEncrypted", inputs.mongoPasswordEncrypted);
  project.setSecret("cluster.kubeconfig", inputs.kubeconfig);
}

/** The same configuration as applyInputs gives, as the offline render reads a stack file. */
export function renderInput(inputs: E2eInputs): StackFile {
  const file = readStackFile(join(REPO_ROOT, "stacks"), "e2e");
  const config: Record<string, unknown> = Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, parseJson(v)]));
  type Node = Record<string | number, unknown>;
  const at = (top: string) => (config[`opentwin:${top}`] ??= {}) as Node;
  at("pki").caCertificate = inputs.ca.certificate;
  at("pki").certificates = Object.fromEntries(Object.entries(inputs.certificates).map(([n, c]) => [n, { certificate: c.certificate, privateKey: c.privateKey }]));
  at("mongodb").adminPassword = inputs.mongoPassword;
  at("mongodb").adminPasswordEncrypted = inputs.mongoPasswordEncrypted;
  at("cluster").kubeconfig = inputs.kubeconfig;
  for (const { path, value } of inputs.plain) {
    let node = at(String(path[0]));
    for (const part of path.slice(1, -1)) node = (node[part] ??= {}) as Node;
    node[path.at(-1)!] = value;
  }
  return {
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)])),
    secretKeys: [...new Set([...file.secretKeys, "opentwin:pki", "opentwin:mongodb", "opentwin:cluster"])],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
