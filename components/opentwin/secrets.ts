/** Secrets: certificate files per service (PEM, so `stringData`) and the MongoDB admin credentials. */
import * as pulumi from "@pulumi/pulumi";
import type * as k8s from "@pulumi/kubernetes";
import { CERTIFICATE_FILES, MONGODB_ADMIN_SECRET, commonLabels } from "./constants";

type Secret = k8s.types.input.core.v1.Secret;

export interface CertificateMaterial {
  readonly caCertificate: pulumi.Input<string>;
  readonly certificate: pulumi.Input<string>;
  /** secret: PKCS#1 RSA key in PEM. */
  readonly privateKey: pulumi.Input<string>;
}

/** Certificate followed by its key, as MongoDB's PEM key file and OpenTwin's OPEN_TWIN_CERT_KEY expect. */
export function certificateAndKey(certificate: string, privateKey: string): string {
  const cert = certificate.endsWith("\n") ? certificate : `${certificate}\n`;
  const key = privateKey.endsWith("\n") ? privateKey : `${privateKey}\n`;
  return cert + key;
}

export function certificateSecretManifest(name: string, namespace: string, component: string, material: CertificateMaterial): Secret {
  const combined = pulumi.secret(pulumi.all([material.certificate, material.privateKey]).apply(([c, k]) => certificateAndKey(c, k)));
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: { name, namespace, labels: commonLabels(component) },
    stringData: {
      [CERTIFICATE_FILES.ca]: material.caCertificate,
      [CERTIFICATE_FILES.certificate]: material.certificate,
      [CERTIFICATE_FILES.privateKey]: pulumi.secret(material.privateKey),
      [CERTIFICATE_FILES.certificateAndKey]: combined,
    },
  };
}

/** The MongoDB admin password and, when given, the same password encrypted with OpenTwin's build key (for AUTH). */
export function mongoAdminSecretManifest(
  namespace: string,
  password: pulumi.Input<string>,
  encryptedPassword: pulumi.Input<string> | undefined,
): Secret {
  const stringData: Record<string, pulumi.Input<string>> = { [MONGODB_ADMIN_SECRET.passwordKey]: pulumi.secret(password) };
  if (encryptedPassword !== undefined) stringData[MONGODB_ADMIN_SECRET.encryptedPasswordKey] = pulumi.secret(encryptedPassword);
  return {
    apiVersion: "v1",
    kind: "Secret",
    type: "Opaque",
    metadata: { name: MONGODB_ADMIN_SECRET.name, namespace, labels: commonLabels("mongodb") },
    stringData,
  };
}
