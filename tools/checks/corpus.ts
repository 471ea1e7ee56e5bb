/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML/JSON documents (stack files, manifests, OpenAPI schemas) are untyped data here. */
/** What the host checks look at: the files of every rendered stack, the golden files, and images/. */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { parseAllDocuments } from "yaml";

export const REPO_ROOT = resolve(__dirname, "..", "..");

export interface CorpusFile {
  /** Label shown in test names: `<stack>/<relative path>` or `golden/<path>`. */
  readonly label: string;
  readonly path: string;
  readonly text: string;
}

export function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else if (statSync(path).isFile()) out.push(path);
  }
  return out.sort();
}

export function renderedStacks(renderRoot: string): string[] {
  return existsSync(renderRoot) ? readdirSync(renderRoot).sort() : [];
}

function filesOf(dir: string, labelPrefix: string, match: RegExp): CorpusFile[] {
  return walk(dir)
    .filter((path) => match.test(path))
    .map((path) => ({ label: `${labelPrefix}/${relative(dir, path)}`, path, text: readFileSync(path, "utf8") }));
}

/** Rendered host scripts of every stack (hosts/<machine>/NN-<step>[.delete].ps1|sh). */
export function renderedScripts(renderRoot: string, extension: "ps1" | "sh"): CorpusFile[] {
  return renderedStacks(renderRoot).flatMap((stack) => filesOf(join(renderRoot, stack, "hosts"), `${stack}/hosts`, new RegExp(`\\.${extension}$`)));
}

/** Golden files committed by the renderers' authors. */
export function goldenFiles(match: RegExp): CorpusFile[] {
  return filesOf(join(REPO_ROOT, "test", "golden"), "golden", match);
}

/** One Kubernetes object per rendered YAML file, and every object of the golden manifests. */
export interface KubernetesObject {
  readonly label: string;
  readonly object: Record<string, any>;
}

export function kubernetesObjects(renderRoot: string, includeGolden = true): KubernetesObject[] {
  const files = renderedStacks(renderRoot).flatMap((stack) => filesOf(join(renderRoot, stack, "kubernetes"), `${stack}/kubernetes`, /\.ya?ml$/));
  if (includeGolden) files.push(...goldenFiles(/\.ya?ml$/));
  const objects: KubernetesObject[] = [];
  for (const file of files) {
    const documents = parseAllDocuments(file.text);
    const list = Array.isArray(documents) ? documents : [documents];
    list.forEach((document, i) => {
      const object = document.toJS() as unknown;
      if (typeof object === "object" && object !== null && "kind" in object && "apiVersion" in object) {
        objects.push({ label: list.length > 1 ? `${file.label}#${i}` : file.label, object: object as Record<string, any> });
      }
    });
  }
  return objects;
}

/** PowerShell embedded in ConfigMaps (data keys ending in .ps1). */
export function configMapScripts(objects: readonly KubernetesObject[]): CorpusFile[] {
  return objects
    .filter((o) => o.object.kind === "ConfigMap")
    .flatMap((o) =>
      Object.entries((o.object.data ?? {}) as Record<string, string>)
        .filter(([key]) => key.endsWith(".ps1"))
        .map(([key, text]) => ({ label: `${o.label}:${key}`, path: "", text })),
    );
}

/** The plan of a rendered stack. */
export function plan(renderRoot: string, stack: string): { type: string; name: string; inputs: Record<string, any> }[] {
  const path = join(renderRoot, stack, "plan.json");
  return existsSync(path) ? (JSON.parse(readFileSync(path, "utf8")) as any[]) : [];
}
