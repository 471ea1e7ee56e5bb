/**
 * Where containerd reads the runc cgroup driver, per major version (containerd docs/cri/config.md):
 * 1.x (config version 2) and 2.x (config version 3). Written here independently of the renderer.
 */
export const RUNC_OPTIONS_TABLE: Record<string, string> = {
  "1": `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options`,
  "2": `plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options`,
};

/** The value of KEY in [TABLE] of a TOML text (tables by exact header; enough for containerd's flat layout). */
export function tomlValue(text: string, table: string, key: string): string[] {
  const values: string[] = [];
  let inside = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("[")) {
      inside = line === `[${table}]`;
      continue;
    }
    const match = /^([^=]+?)\s*=\s*(.*)$/.exec(line);
    if (inside && match?.[1] === key) values.push(match[2]!);
  }
  return values;
}
