/** (type, name) pairs from `pulumi preview --json` steps and from the render's plan.json. Pure. */

/** urn:pulumi:<stack>::<project>::<parent types $ ... $ type>::<name> -> "type name". */
export function typeAndName(urn: string): string {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  const name = parts.slice(3).join("::");
  return `${types.split("$").at(-1)} ${name}`;
}

export function previewResources(previewJson: string): string[] {
  const preview = JSON.parse(previewJson) as { steps?: { urn: string }[] };
  return (preview.steps ?? []).map((s) => typeAndName(s.urn)).sort();
}

export function renderResources(planJson: string): string[] {
  return (JSON.parse(planJson) as { type: string; name: string }[]).map((r) => `${r.type} ${r.name}`).sort();
}

/** Every sentinel found in a text, reported by a short, harmless prefix only. */
export function leaks(text: string, sentinels: readonly string[]): string[] {
  return sentinels.filter((s) => s.length >= 8 && text.includes(s)).map((s) => `${s.slice(0, 6)}...`);
}
