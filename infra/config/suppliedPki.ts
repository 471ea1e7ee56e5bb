/**
 * Rule over a supplied PKI's content: the operator's CA, certificates and keys are parsed and checked
 * (chain, validity, usages, SANs, PKCS#1 key matching the certificate) before anything is registered.
 * Presence is the job of the `suppliedPki` rule and of the secret check, so nothing missing is reported
 * twice; a private key that a render only sees as a placeholder is not checked.
 */
import { checkSuppliedPki } from "../../components/pki/checkSupplied";
import { pkiServices } from "../workloads";
import { keyOf, type Problem } from "./problems";
import type { StackConfig } from "./schema";

const ALLOWED: Record<string, string> = {
  caCertificate: "a CA certificate in PEM (basicConstraints CA:TRUE) that is valid now",
  certificate: "a PEM certificate signed by opentwin:pki.caCertificate, valid now, with serverAuth and clientAuth and every name and IP its clients dial",
  privateKey: "the PKCS#1 RSA key (3072 bits or more) of that certificate",
};

/** Problems of the supplied PEMs; [] unless pki.mode is "supplied" and a CA certificate is set. */
export function suppliedPkiContent(config: StackConfig, now?: Date): Problem[] {
  const { mode, caCertificate, certificates = {} } = config.pki;
  if (mode !== "supplied" || caCertificate === undefined) return [];
  const services = pkiServices(config).filter((s) => certificates[s.name] !== undefined);
  const checkable = Object.fromEntries(
    services.map((s) => {
      const given = certificates[s.name]!;
      return [s.name, { certificate: given.certificate, privateKey: isPem(given.privateKey) ? given.privateKey : undefined }];
    }),
  );
  const notChecked = new Set(services.filter((s) => checkable[s.name]!.privateKey === undefined).map((s) => `certificates.${s.name}.privateKey: missing`));
  return checkSuppliedPki({ caCertificate, certificates: checkable, services, now })
    .filter((message) => !notChecked.has(message))
    .map(toProblem);
}

function isPem(text: string | undefined): text is string {
  return text !== undefined && text.includes("-----BEGIN");
}

/** "certificates.gss.certificate: expired on ..." -> a Problem at opentwin:pki.certificates.gss.certificate. */
function toProblem(message: string): Problem {
  const colon = message.indexOf(": ");
  const where = message.slice(0, colon);
  const field = where.split(".").at(-1)!;
  return {
    key: keyOf(["pki", ...where.split(".")]),
    value: field === "privateKey" ? "(hidden)" : "(PEM)",
    problem: message.slice(colon + 2),
    allowed: ALLOWED[field] ?? ALLOWED.certificate!,
  };
}
