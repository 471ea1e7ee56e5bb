/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML/JSON documents (stack files, manifests, OpenAPI schemas) are untyped data here. */
/**
 * Offline validation of Kubernetes objects against the OpenAPI (swagger 2.0) document of a Kubernetes
 * version, taken from the k8s.io/kubernetes Go module (api/openapi-spec/swagger.json) in the shared
 * module cache and copied into the toolchain cache at test time (never committed). Strict like
 * kubeconform -strict: a field the schema does not define is an error.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import Ajv, { type ValidateFunction } from "ajv";

export const CACHE = process.env.OPENTWIN_TOOLCHAIN_CACHE ?? join(homedir(), ".cache", "opentwin-iac");

/** Path of swagger.json for a Kubernetes version (x.y.z), fetched through `go mod download` when missing. */
export function swaggerPath(version: string): string {
  const target = join(CACHE, "openapi", `v${version}`, "swagger.json");
  if (existsSync(target)) return target;
  const result = spawnSync("go", ["mod", "download", "-json", `k8s.io/kubernetes@v${version}`], {
    encoding: "utf8",
    cwd: CACHE,
    env: { ...process.env, GOMODCACHE: join(CACHE, "gomod"), GOFLAGS: "-mod=mod", GO111MODULE: "on" },
    timeout: 900_000,
  });
  const dir = (JSON.parse(result.stdout || "{}") as { Dir?: string }).Dir;
  const source = dir === undefined ? undefined : join(dir, "api", "openapi-spec", "swagger.json");
  if (source === undefined || !existsSync(source)) throw new Error(`go mod download k8s.io/kubernetes@v${version} gave no swagger.json: ${result.stderr}`);
  mkdirSync(join(CACHE, "openapi", `v${version}`), { recursive: true });
  copyFileSync(source, target);
  return target;
}

type Schema = Record<string, any>;

/** Makes every object schema strict and maps Kubernetes' string formats to what the JSON can hold. */
function adapt(schema: Schema): Schema {
  if (Array.isArray(schema)) return schema.map(adapt) as unknown as Schema;
  if (typeof schema !== "object" || schema === null) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "properties") out[key] = Object.fromEntries(Object.entries(value as Schema).map(([k, v]) => [k, adapt(v as Schema)]));
    else if (key.startsWith("x-") || key === "description") continue;
    else out[key] = adapt(value as Schema);
  }
  if (out.$ref !== undefined) return { $ref: out.$ref };
  if (schema.format === "int-or-string" || schema["x-kubernetes-int-or-string"] === true) return { anyOf: [{ type: "string" }, { type: "integer" }] };
  if (schema.format === "quantity") return { anyOf: [{ type: "string" }, { type: "number" }] };
  delete out.format;
  if (out.properties !== undefined && out.additionalProperties === undefined) out.additionalProperties = false;
  return out;
}

export interface KubernetesValidator {
  readonly version: string;
  validate(object: Record<string, unknown>): string[];
}

export function kubernetesValidator(version: string): KubernetesValidator {
  const swagger = JSON.parse(readFileSync(swaggerPath(version), "utf8")) as { definitions: Record<string, Schema>; info: { version: string } };
  const byKind = new Map<string, string>();
  for (const [name, definition] of Object.entries(swagger.definitions)) {
    for (const gvk of (definition["x-kubernetes-group-version-kind"] ?? []) as { group: string; version: string; kind: string }[]) {
      byKind.set(`${gvk.group === "" ? gvk.version : `${gvk.group}/${gvk.version}`}/${gvk.kind}`, name);
    }
  }
  const definitions = Object.fromEntries(Object.entries(swagger.definitions).map(([k, v]) => [k, adapt(v)]));
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "k8s", definitions });
  const compiled = new Map<string, ValidateFunction>();
  return {
    version,
    validate(rendered) {
      const object = withoutRedacted(rendered) as Record<string, unknown>;
      const key = `${String(object.apiVersion)}/${String(object.kind)}`;
      const name = byKind.get(key);
      if (name === undefined) return [`${key} is not a kind of Kubernetes ${version}`];
      let check = compiled.get(name);
      if (check === undefined) {
        check = ajv.compile({ $ref: `k8s#/definitions/${name}` });
        compiled.set(name, check);
      }
      return check(object) ? [] : (check.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}${e.params && "additionalProperty" in e.params ? `: ${String(e.params.additionalProperty)}` : ""}`);
    },
  };
}

/** The render replaces secret values by "[secret]" (whatever their type): such fields are left out of validation. */
function withoutRedacted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutRedacted);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== "[secret]").map(([k, v]) => [k, withoutRedacted(v)]));
  }
  return value;
}

/** Component configuration (kubeadm, kubelet, kube-proxy) is not served by the API server: it has no OpenAPI schema. */
export function isApiObject(object: Record<string, unknown>): boolean {
  return !/^(kubeadm\.k8s\.io|kubelet\.config\.k8s\.io|kubeproxy\.config\.k8s\.io)\//.test(String(object.apiVersion));
}
