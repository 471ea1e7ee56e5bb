/**
 * Real certificates made with the openssl CLI in a temporary folder at test time (nothing is
 * committed; the folder is removed by `cleanup`).
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export class OpensslWorkspace {
  readonly dir = mkdtempSync(join(tmpdir(), "opentwin-pki-test-"));

  private run(args: string[]): void {
    execFileSync("openssl", args, { cwd: this.dir, stdio: ["ignore", "ignore", "pipe"] });
  }

  read(file: string): string {
    return readFileSync(join(this.dir, file), "utf8");
  }

  /** RSA key in PKCS#1 PEM ("BEGIN RSA PRIVATE KEY"). */
  key(name: string, bits = 3072): string {
    this.run(["genrsa", "-traditional", "-out", `${name}.key`, String(bits)]);
    return this.read(`${name}.key`);
  }

  /** The same key as PKCS#8 ("BEGIN PRIVATE KEY"). */
  pkcs8(name: string): string {
    this.run(["pkey", "-in", `${name}.key`, "-out", `${name}.pk8`]);
    return this.read(`${name}.pk8`);
  }

  /** Self-signed CA certificate for an existing key. */
  ca(name: string, days: number): string {
    this.run(["req", "-x509", "-new", "-key", `${name}.key`, "-days", String(days), "-subj", `/CN=${name}/O=OpenTwin Test`, "-out", `${name}.pem`]);
    return this.read(`${name}.pem`);
  }

  /** Leaf certificate for key `keyName`, signed by CA `caName`, with server+client auth and the SANs. */
  leaf(name: string, keyName: string, caName: string, sans: { dns: string[]; ips: string[] }, days: number): string {
    const alt = [...sans.dns.map((d) => `DNS:${d}`), ...sans.ips.map((i) => `IP:${i}`)].join(",");
    writeFileSync(
      join(this.dir, `${name}.ext`),
      [
        "basicConstraints=CA:FALSE",
        "keyUsage=digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth,clientAuth",
        `subjectAltName=${alt}`,
        "authorityKeyIdentifier=keyid,issuer",
        "",
      ].join("\n"),
    );
    this.run(["req", "-new", "-key", `${keyName}.key`, "-subj", `/CN=${name}/O=OpenTwin Test/OU=OpenTwin services`, "-out", `${name}.csr`]);
    this.run([
      "x509", "-req", "-in", `${name}.csr`, "-CA", `${caName}.pem`, "-CAkey", `${caName}.key`, "-CAcreateserial",
      "-days", String(days), "-extfile", `${name}.ext`, "-out", `${name}.pem`,
    ]);
    return this.read(`${name}.pem`);
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
