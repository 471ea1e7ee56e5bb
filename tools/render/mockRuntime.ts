/**
 * Runs a Pulumi program against a mock resource monitor and records every resource it registers:
 * no CLI, no backend, no network. Used by `npm run render` and by the component tests.
 *
 * Provider outputs that the real providers compute are faked here, and outputs the real providers
 * keep secret (private keys, secret command output) are faked as SECRET_TEXT, so nothing derived
 * from them can look like real key material.
 */
import * as pulumi from "@pulumi/pulumi";

export const SECRET_TEXT = "[secret]";

export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  /** `type::name` of the parent component, or undefined for top-level resources. */
  readonly parent: string | undefined;
  readonly custom: boolean;
  /** Inputs as the engine would receive them; secrets are still wrapped (see unwrapSecrets). */
  readonly inputs: Record<string, unknown>;
  /**
   * Only with `recordDependencies`: `type::name` of every resource the engine is told this one
   * depends on (explicit dependsOn, with components expanded to their children, and resources
   * whose outputs feed its inputs), as the registration request carries them.
   */
  readonly dependsOn?: readonly string[];
  /** Only with `recordDependencies`: `type::name` of the explicit provider resource, when one is set. */
  readonly provider?: string;
}

/** Pulumi's wire signature for a secret value. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

export function isSecretValue(value: unknown): value is { value: unknown } {
  return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG;
}

/**
 * Replaces every secret by SECRET_TEXT. A secret map (a Secret's stringData, say) keeps its keys, so
 * a reader still sees which entries exist; every value in it is hidden.
 */
export function redactSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return hideLeaves(value.value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactSecrets(v)]));
  }
  return value;
}

function hideLeaves(value: unknown): unknown {
  if (isSecretValue(value)) return hideLeaves(value.value);
  if (typeof value === "object" && value !== null && !Array.isArray(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, hideLeaves(v)]));
  }
  return SECRET_TEXT;
}

/** Removes the secret wrappers and keeps the values (for tests that inspect secret inputs). */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

function fakeCertificate(name: string): string {
  return `-----BEGIN CERTIFICATE-----\nMOCK-CERTIFICATE-${name}\n-----END CERTIFICATE-----\n`;
}

/** Outputs the real providers would compute, faked deterministically. */
function fakeOutputs(type: string, name: string, inputs: Record<string, unknown>): Record<string, unknown> {
  switch (type) {
    case "tls:index/privateKey:PrivateKey":
      return {
        privateKeyPem: SECRET_TEXT,
        privateKeyPemPkcs8: SECRET_TEXT,
        privateKeyOpenssh: SECRET_TEXT,
        publicKeyPem: `-----BEGIN PUBLIC KEY-----\nMOCK-PUBLIC-KEY-${name}\n-----END PUBLIC KEY-----\n`,
      };
    case "tls:index/selfSignedCert:SelfSignedCert":
    case "tls:index/locallySignedCert:LocallySignedCert":
      return { certPem: fakeCertificate(name), readyForRenewal: false, validityStartTime: "2026-01-01T00:00:00Z" };
    case "tls:index/certRequest:CertRequest":
      return { certRequestPem: `-----BEGIN CERTIFICATE REQUEST-----\nMOCK-CSR-${name}\n-----END CERTIFICATE REQUEST-----\n` };
    case "command:remote:Command":
    case "command:local:Command":
      return { stdout: inputs.logging === "none" ? SECRET_TEXT : `[stdout of ${name}]`, stderr: "" };
    default:
      return {};
  }
}

export interface MockRunOptions {
  readonly project: string;
  readonly stack: string;
  /** Configuration as `namespace:key` -> raw text (JSON for structured values). */
  readonly config?: Record<string, string>;
  /** Keys whose values are secret in the stack file. */
  readonly secretKeys?: string[];
  /** Also record each resource's dependencies and provider (dependsOn/provider). Default: false. */
  readonly recordDependencies?: boolean;
}

/** `type::name` of a URN (`urn:pulumi:stack::project::parent$type::name`). */
export function keyOfUrn(urn: string): string {
  const parts = urn.split("::");
  const name = parts.slice(3).join("::");
  const qualifiedType = parts[2] ?? "";
  return `${qualifiedType.slice(qualifiedType.lastIndexOf("$") + 1)}::${name}`;
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getProvider(): string;
  getDependenciesList(): string[];
}

/** Wraps the mock monitor's registerResource to note what the engine would see as dependencies. */
function recordDependencies(into: Map<string, { dependsOn: string[]; provider: string | undefined }>): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as { getMonitor: () => Record<string, unknown> | undefined };
  const monitor = settings.getMonitor();
  const original = monitor?.registerResource as ((req: RegisterRequest, callback: unknown) => unknown) | undefined;
  if (monitor === undefined || original === undefined) throw new Error("recordDependencies: the mock monitor is not set up");
  monitor.registerResource = (req: RegisterRequest, callback: unknown): unknown => {
    const providerRef = req.getProvider();
    into.set(`${req.getType()}::${req.getName()}`, {
      dependsOn: [...new Set(req.getDependenciesList().map(keyOfUrn))],
      provider: providerRef === "" ? undefined : keyOfUrn(providerRef.slice(0, providerRef.lastIndexOf("::"))),
    });
    return original.call(monitor, req, callback);
  };
}

/**
 * Sets up the mock runtime, runs `program` inside a stack, waits for every registration,
 * and returns the resources in the order they were declared.
 */
export async function runUnderMocks(options: MockRunOptions, program: () => Promise<void> | void): Promise<RecordedResource[]> {
  const declared: { type: string; name: string; parent: string | undefined }[] = [];
  const names = new Map<pulumi.Resource, string>();
  const inputs = new Map<string, { inputs: Record<string, unknown>; custom: boolean }>();

  pulumi.runtime.setAllConfig(options.config ?? {}, options.secretKeys ?? []);
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        inputs.set(`${args.type}::${args.name}`, { inputs: args.inputs, custom: args.custom ?? true });
        return { id: `${args.name}-id`, state: { ...args.inputs, ...fakeOutputs(args.type, args.name, args.inputs) } };
      },
      call: (args) => {
        throw new Error(`The program called ${args.token}, which the offline render does not support.`);
      },
    },
    options.project,
    options.stack,
    false,
  );
  const dependencies = new Map<string, { dependsOn: string[]; provider: string | undefined }>();
  if (options.recordDependencies === true) recordDependencies(dependencies);

  let failure: unknown;
  await (pulumi.runtime as unknown as { runInPulumiStack(fn: () => Promise<unknown>): Promise<unknown> }).runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      const parent = args.opts.parent === undefined ? undefined : names.get(args.opts.parent);
      names.set(args.resource, `${args.type}::${args.name}`);
      declared.push({ type: args.type, name: args.name, parent });
      return undefined;
    });
    try {
      await program();
    } catch (error) {
      failure = error;
    }
    return {};
  });
  if (failure !== undefined) throw failure;
  await settle();
  return declared.map((d) => {
    const seen = inputs.get(`${d.type}::${d.name}`);
    const recorded = { ...d, custom: seen?.custom ?? false, inputs: seen?.inputs ?? {} };
    if (options.recordDependencies !== true) return recorded;
    const deps = dependencies.get(`${d.type}::${d.name}`);
    return { ...recorded, dependsOn: deps?.dependsOn ?? [], ...(deps?.provider === undefined ? {} : { provider: deps.provider }) };
  });
}

/** Waits until the runtime has no outstanding registrations. */
async function settle(): Promise<void> {
  // waitForRPCs is internal to the SDK (runtime/settings) but is what the real language host awaits too.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };
  await settings.waitForRPCs();
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
}
