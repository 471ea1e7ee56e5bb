/** Kubernetes CPU and memory quantities as numbers, for the capacity rule (formats.ts decides what is valid). */

const MEMORY_SUFFIX: Record<string, number> = {
  "": 1,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};

/** `500m` -> 500, `1.5` -> 1500 (millicores); undefined for text isCpuQuantity refuses. */
export function cpuMillis(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(m?)$/.exec(text);
  if (match === null) return undefined;
  const amount = Number(match[1]);
  return match[2] === "m" ? amount : amount * 1000;
}

/** `512Mi` -> 536870912, `1G` -> 1e9 (bytes); undefined for text isMemoryQuantity refuses. */
export function memoryBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.exec(text);
  if (match === null) return undefined;
  return Number(match[1]) * MEMORY_SUFFIX[match[2] ?? ""]!;
}

/** 4500 -> "4.5", 4000 -> "4", 250 -> "250m". */
export function formatCpu(millis: number): string {
  return millis >= 1000 ? String(Math.round(millis) / 1000) : `${Math.round(millis)}m`;
}

/** Bytes as Gi (two decimals at most) from 1 GiB up, as Mi below. */
export function formatMemory(bytes: number): string {
  const mi = bytes / 2 ** 20;
  return mi >= 1024 ? `${Math.round((mi / 1024) * 100) / 100}Gi` : `${Math.round(mi)}Mi`;
}
