/** Walks plain manifests (builder output or recorded inputs) for the properties every test asserts. */
type Json = Record<string, any>;

/** Every pod template in a workload manifest (Deployment/StatefulSet). */
export function podTemplateOf(manifest: unknown): Json | undefined {
  const m = manifest as Json;
  return m?.spec?.template;
}

/** Every value under a key anywhere in the tree. */
export function findKeys(value: unknown, key: string): unknown[] {
  const found: unknown[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === "object" && v !== null) {
      for (const [k, child] of Object.entries(v)) {
        if (k === key) found.push(child);
        walk(child);
      }
    }
  };
  walk(value);
  return found;
}

export function isWindowsTemplate(template: Json): boolean {
  return template?.spec?.os?.name === "windows";
}
