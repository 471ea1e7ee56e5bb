/**
 * Test certificates made with the machine's openssl in a temporary directory: a CA, service
 * certificates with PKCS#1 keys, and the negative cases of the TLS matrix (another CA, expired,
 * not yet valid). OpenSSL 3.0's `x509 -req` cannot set dates, so dated certificates go through `openssl ca`.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface Pem {
  readonly certificate: string;
  /** PKCS#1 ("BEGIN RSA PRIVATE KEY"). */
  readonly privateKey: string;
}

export interface Ca extends Pem {
  readonly dir: string;
  readonly certificatePath: string;
  readonly keyPath: string;
}

export interface LeafRequest {
  readonly name: string;
  readonly commonName: string;
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
  readonly bits?: number;
  /** Both set: exact validity (via `openssl ca`). Default: now - 1 h .. now + 30 days. */
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

function rsaKey(path: string, bits: number, cwd: string): string {
  openssl(["genrsa", "-traditional", "-out", path, String(bits)], cwd);
  return readFileSync(path, "utf8");
}

export function makeCa(dir: string, commonName: string, bits = 3072): Ca {
  mkdirSync(dir, { recursive: true });
  const keyPath = join(dir, "ca.key");
  const certificatePath = join(dir, "ca.crt");
  const privateKey = rsaKey(keyPath, bits, dir);
  openssl(
    [
      "req", "-x509", "-new", "-sha256", "-key", keyPath, "-days", "30", "-subj", `/O=OpenTwin e2e/CN=${commonName}`,
      "-addext", "basicConstraints=critical,CA:TRUE",
      "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature",
      "-out", certificatePath,
    ],
    dir,
  );
  writeFileSync(join(dir, "index.txt"), "");
  writeFileSync(join(dir, "serial"), "1000\n");
  mkdirSync(join(dir, "issued"), { recursive: true });
  return { dir, certificatePath, keyPath, certificate: readFileSync(certificatePath, "utf8"), privateKey };
}

/** UTCTime as `openssl ca -startdate/-enddate` takes it: YYMMDDHHMMSSZ. */
function utcTime(date: Date): string {
  return date.toISOString().replace(/^\d\d(\d\d)-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d).*$/, "$1$2$3$4$5$6Z");
}

export function issue(ca: Ca, request: LeafRequest): Pem {
  const dir = ca.dir;
  const base = join(dir, request.name);
  const privateKey = rsaKey(`${base}.key`, request.bits ?? 3072, dir);
  openssl(["req", "-new", "-sha256", "-key", `${base}.key`, "-subj", `/O=OpenTwin e2e/CN=${request.commonName}`, "-out", `${base}.csr`], dir);
  const sans = [...(request.dnsNames ?? []).map((n) => `DNS:${n}`), ...(request.ipAddresses ?? []).map((ip) => `IP:${ip}`)];
  writeFileSync(
    `${base}.ext`,
    [
      "[v3]",
      "basicConstraints=critical,CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth,clientAuth",
      "subjectKeyIdentifier=hash",
      "authorityKeyIdentifier=keyid",
      ...(sans.length > 0 ? [`subjectAltName=${sans.join(",")}`] : []),
      "",
    ].join("\n"),
  );
  if (request.notBefore !== undefined && request.notAfter !== undefined) {
    writeFileSync(
      `${base}.ca.cnf`,
      [
        "[ca]", "default_ca=e2e", "[e2e]", `database=${join(dir, "index.txt")}`, `new_certs_dir=${join(dir, "issued")}`,
        `serial=${join(dir, "serial")}`, "default_md=sha256", "policy=any", "unique_subject=no", "[any]", "commonName=supplied", "organizationName=optional", "",
      ].join("\n"),
    );
    openssl(
      [
        "ca", "-batch", "-notext", "-config", `${base}.ca.cnf`, "-cert", ca.certificatePath, "-keyfile", ca.keyPath,
        "-startdate", utcTime(request.notBefore), "-enddate", utcTime(request.notAfter),
        "-extfile", `${base}.ext`, "-extensions", "v3", "-in", `${base}.csr`, "-out", `${base}.crt`,
      ],
      dir,
    );
  } else {
    openssl(
      [
        "x509", "-req", "-sha256", "-in", `${base}.csr`, "-CA", ca.certificatePath, "-CAkey", ca.keyPath, "-CAcreateserial",
        "-days", "30", "-extfile", `${base}.ext`, "-extensions", "v3", "-out", `${base}.crt`,
      ],
      dir,
    );
  }
  return { certificate: readFileSync(`${base}.crt`, "utf8"), privateKey };
}
