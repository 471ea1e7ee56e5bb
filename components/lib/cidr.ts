/** IPv4 address arithmetic for address plans. Pure; property-tested in test/unit/cidr.test.ts. */

export interface Ipv4Network {
  /** Network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** "10.0.0.1" -> integer, or undefined when the text is not a dotted IPv4 address. */
export function parseIpv4(text: string): number | undefined {
  const match = IPV4.exec(text);
  if (!match) return undefined;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return undefined;
  if (match.slice(1).some((part) => part.length > 1 && part.startsWith("0"))) return undefined;
  return octets.reduce((value, octet) => value * 256 + octet, 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** "10.244.0.0/16" -> network; undefined when malformed or when host bits are set. */
export function parseCidr(text: string): Ipv4Network | undefined {
  const [address, prefixText, ...rest] = text.split("/");
  if (address === undefined || prefixText === undefined || rest.length > 0) return undefined;
  if (!/^\d{1,2}$/.test(prefixText)) return undefined;
  const prefix = Number(prefixText);
  const base = parseIpv4(address);
  if (base === undefined || prefix > 32) return undefined;
  if (base % size(prefix) !== 0) return undefined;
  return { base, prefix };
}

export function formatCidr(network: Ipv4Network): string {
  return `${formatIpv4(network.base)}/${network.prefix}`;
}

function size(prefix: number): number {
  return 2 ** (32 - prefix);
}

export function contains(network: Ipv4Network, address: number): boolean {
  return address >= network.base && address < network.base + size(network.prefix);
}

export function overlaps(a: Ipv4Network, b: Ipv4Network): boolean {
  return a.base < b.base + size(b.prefix) && b.base < a.base + size(a.prefix);
}

/** True when the address is usable by a host: inside the network, neither its network nor broadcast address. */
export function isHostAddress(network: Ipv4Network, address: number): boolean {
  if (!contains(network, address)) return false;
  if (network.prefix >= 31) return true;
  return address !== network.base && address !== network.base + size(network.prefix) - 1;
}
