/**
 * Fixed facts about the OpenTwin workloads: names, labels, paths inside the image, and how each
 * service is started (OpenTwin Scripts/Launcher/OpenTwin_session.bat, OpenTwin_logger.bat).
 */
import type { OpenTwinServiceName } from "../lib/catalog";

/** Folder the image installs OpenTwin's Deployment folder into (WORKDIR of images/opentwin/Dockerfile). */
export const IMAGE_INSTALL_DIR = "C:\\opentwin";
/** The container command: the image's entrypoint script, exec form (same array as the Dockerfile's ENTRYPOINT). */
export const ENTRYPOINT_COMMAND: readonly string[] = [
  "powershell.exe",
  "-NoLogo",
  "-NoProfile",
  "-NonInteractive",
  "-ExecutionPolicy",
  "Bypass",
  "-File",
  "C:/opentwin/entrypoint.ps1",
];
/** Where each Windows pod mounts its certificate Secret (read-only). */
export const WINDOWS_CERTIFICATE_DIR = "C:\\opentwin-certificates";

/** File names inside every certificate Secret (OpenTwin's defaults, Scripts/Launcher/OpenTwin_set_up_certificates.bat). */
export const CERTIFICATE_FILES = {
  ca: "ca.pem",
  certificate: "server.pem",
  privateKey: "server-key.pem",
  certificateAndKey: "certificateKeyFile.pem",
} as const;

/** Kubernetes name of the Service (and Deployment) of each OpenTwin service; LDS instances add "-<i>". */
export function kubernetesServiceName(service: OpenTwinServiceName): string {
  return service;
}
/** Kubernetes name of the MongoDB Service; the `mongodb` certificate's SANs must cover it (see endpoints.ts). */
export const MONGODB_SERVICE_NAME = "mongodb";

/** The Secret that holds certificate, key and CA of one OpenTwin service (or "mongodb"). */
export function certificateSecretName(service: OpenTwinServiceName | "mongodb"): string {
  return `${service}-tls`;
}

/** Secret with the MongoDB `admin` password (`password`) and its OpenTwin-encrypted form (`password-encrypted`). */
export const MONGODB_ADMIN_SECRET = { name: "mongodb-admin", passwordKey: "password", encryptedPasswordKey: "password-encrypted" } as const;

/** Pod template annotation that carries the certificate checksum, so a renewal rolls the pods. */
export const CERTIFICATE_CHECKSUM_ANNOTATION = "opentwin.io/certificate-checksum";
/** Label that tells LDS instances apart (each instance owns one port window). */
export const LDS_INSTANCE_LABEL = "opentwin.io/lds-instance";

export function selectorLabels(component: string): Record<string, string> {
  return { "app.kubernetes.io/part-of": "opentwin", "app.kubernetes.io/component": component };
}

export function commonLabels(component: string): Record<string, string> {
  return { "app.kubernetes.io/name": component, ...selectorLabels(component), "app.kubernetes.io/managed-by": "pulumi" };
}

/** DLL each service runs in `open_twin.exe <dll> <a> <b> <c> <d>`. */
export const SERVICE_DLLS: Record<OpenTwinServiceName, string> = {
  logger: "LoggerService.dll",
  gss: "GlobalSessionService.dll",
  auth: "AuthorisationService.dll",
  lss: "LocalSessionService.dll",
  gds: "GlobalDirectoryService.dll",
  lds: "LocalDirectoryService.dll",
};

/**
 * The arguments after the DLL, in order, as images/opentwin/entrypoint.ps1 builds them:
 * `own` is the service's own URL (OPEN_TWIN_SERVICES_ADDRESS:OPEN_TWIN_SERVICE_PORT), `env:X` the value of
 * environment variable X, `""` an empty argument, any other text itself. The GSS gets no download port:
 * the plain-HTTP installer download is not published (see README).
 */
export const SERVICE_ARGUMENTS: Record<OpenTwinServiceName, readonly string[]> = {
  logger: ["", "own", "", ""],
  gss: ["env:OPEN_TWIN_LOGGING_URL", "own", "env:OPEN_TWIN_MONGODB_ADDRESS", "env:OPEN_TWIN_AUTH_URL"],
  auth: ["own", "env:OPEN_TWIN_MONGODB_ADDRESS", "env:OPEN_TWIN_MONGODB_PWD", "env:OPEN_TWIN_LOGGING_URL"],
  lss: ["env:OPEN_TWIN_LOGGING_URL", "own", "env:OPEN_TWIN_GSS_URL", "unused"],
  gds: ["env:OPEN_TWIN_LOGGING_URL", "own", "env:OPEN_TWIN_GSS_URL", "unused"],
  lds: ["env:OPEN_TWIN_LOGGING_URL", "own", "env:OPEN_TWIN_GDS_URL", "unused"],
};

/**
 * Services the LDS may spawn (OpenTwin Scripts/Launcher/OpenTwin_set_up_LDS.bat) and its restart limits.
 */
export const LDS_SUPPORTED_SERVICES: readonly string[] = [
  "CartesianMeshService",
  "FITTDService",
  "KrigingService",
  "Model",
  "ModelingService",
  "PHREECService",
  "RelayService",
  "TetMeshService",
  "ImportParameterizedDataService",
  "VisualizationService",
  "PythonExecutionService",
  "GetDPService",
  "FDTDService",
  "ElmerFEMService",
  "DataProcessingService",
  "DebugService",
  "CircuitSimulatorService",
  "StudioSuiteService",
  "LTSpiceService",
  "PyritService",
  "HierarchicalProjectService",
];

/** OT_LOCALDIRECTORYSERVICE_CONFIGURATION for the image layout (a broken one makes the LDS exit 7704). */
export function ldsConfiguration(supported: readonly string[] = LDS_SUPPORTED_SERVICES): string {
  return JSON.stringify({
    DefaultMaxCrashRestarts: 8,
    DefaultMaxStartupRestarts: 64,
    ServicesLibraryPath: IMAGE_INSTALL_DIR,
    LauncherPath: `${IMAGE_INSTALL_DIR}\\open_twin.exe`,
    SupportedServices: supported,
  });
}
