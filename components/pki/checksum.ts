/** A non-secret fingerprint of a service's certificate and its CA, for pod annotations. Pure. */
import { createHash } from "node:crypto";

export function certificateChecksum(certificatePem: string, caCertificatePem: string): string {
  return createHash("sha256").update(certificatePem).update("\n").update(caCertificatePem).digest("hex");
}
