/** Small address helpers for the host checks. */
export function cidrPrefixLength(cidr: string): number {
  const prefix = Number(cidr.split("/")[1]);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new Error(`not an IPv4 CIDR: ${cidr}`);
  return prefix;
}
