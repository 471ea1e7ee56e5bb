/** What the render declares in kubernetes/, as (kind, apiVersion, namespace, name) to look up live. Pure. */
import { parse } from "yaml";

export interface DeclaredObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function declaredObjects(files: Record<string, string>): DeclaredObject[] {
  return Object.entries(files)
    .filter(([path]) => path.startsWith("kubernetes/"))
    .map(([, text]) => {
      const document = parse(text) as { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };
      return { apiVersion: document.apiVersion, kind: document.kind, namespace: document.metadata.namespace, name: document.metadata.name };
    });
}

/** kubectl's fully qualified resource: "deployment.v1.apps", "configmap" (core). */
export function kubectlResource(object: Pick<DeclaredObject, "apiVersion" | "kind">): string {
  const [group, version] = object.apiVersion.includes("/") ? object.apiVersion.split("/") : ["", object.apiVersion];
  return group === "" ? object.kind.toLowerCase() : `${object.kind.toLowerCase()}.${version}.${group}`;
}

export function describeObject(object: DeclaredObject): string {
  return `${object.kind} ${object.namespace ? `${object.namespace}/` : ""}${object.name}`;
}
