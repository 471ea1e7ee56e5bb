/** Pure predicates for the text formats the schema accepts (addresses, keys, Kubernetes quantities). */
import { parseIpv4 } from "../../components/lib/cidr";

/** Any C0 control character or DEL: a newline, tab or NUL in a name or path breaks the scripts it lands in. */
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

export function hasNoControlCharacter(text: string): boolean {
  return !CONTROL_CHARACTER.test(text);
}

const DNS_NAME = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;

/** A dotted IPv4 address or a DNS name (labels of letters, digits and inner hyphens). */
export function isIpv4OrDnsName(text: string): boolean {
  if (/^[0-9.]+$/.test(text)) return parseIpv4(text) !== undefined;
  return DNS_NAME.test(text);
}

/** Key types the VMs' OpenSSH accepts for vmAccess.sshPublicKey. */
export const SSH_PUBLIC_KEY_TYPES = ["ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521"] as const;

/**
 * One line `<type> <base64 body> [comment]` as in an authorized_keys file. The body must decode to a
 * key blob that starts with the same type name (RFC 4253 6.6: a length-prefixed string).
 */
export function isOpenSshPublicKey(text: string): boolean {
  const match = /^([a-z0-9-]+) ([A-Za-z0-9+/]+={0,2})( [^\u0000-\u001f\u007f]*)?$/.exec(text);
  if (match === null) return false;
  const [, type, body] = match;
  if (!(SSH_PUBLIC_KEY_TYPES as readonly string[]).includes(type!)) return false;
  const blob = Buffer.from(body!, "base64");
  if (blob.length < 4) return false;
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1") === type;
}

/** Kubernetes CPU quantity above zero: cores (`2`, `1.5`, `0.25`) or millicores (`500m`). */
export function isCpuQuantity(text: string): boolean {
  return /^(\d+(\.\d+)?|\d+m)$/.test(text) && /[1-9]/.test(text);
}

/** Kubernetes memory quantity above zero: bytes with an optional binary or decimal suffix (`512Mi`, `4Gi`, `1G`). */
export function isMemoryQuantity(text: string): boolean {
  return /^\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/.test(text) && /[1-9]/.test(text);
}
