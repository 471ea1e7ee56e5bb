export { OpenTwinPki, CA_ALLOWED_USES, SERVICE_ALLOWED_USES, type OpenTwinPkiArgs, type PkiServiceCertificate, type IssuedCertificate } from "./openTwinPki";
export { serviceSans, type ServiceSansInput, type Sans } from "./sans";
export { checkSuppliedPki, type SuppliedPkiInput } from "./checkSupplied";
export { certificateChecksum } from "./checksum";
export { MONGODB_CERTIFICATE, MONGODB_OU, SERVICE_OU, caEarlyRenewalHours, caSubject, leafSubject, pkiArgProblems, type PkiSubject } from "./subject";
