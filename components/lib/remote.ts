/**
 * SSH connections and remote steps with the project's rules built in: retries long enough for a
 * booting VM, secrets kept out of logs and state, and every step ordered after the one before.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";

export interface SshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly privateKey: pulumi.Input<string>;
}

/** How long SSH keeps retrying: the command provider's default (10 dials of 15 s) is too short for a booting VM. */
export interface SshPatience {
  readonly minutes: number;
}

const PER_DIAL_SECONDS = 15;

export function sshConnection(
  target: SshEndpoint,
  patience: SshPatience,
  jumpHost?: SshEndpoint,
): command.types.input.remote.ConnectionArgs {
  const dialErrorLimit = Math.max(1, Math.ceil((patience.minutes * 60) / PER_DIAL_SECONDS));
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    privateKey: pulumi.secret(target.privateKey),
    dialErrorLimit,
    perDialTimeout: PER_DIAL_SECONDS,
    ...(jumpHost === undefined
      ? {}
      : {
          proxy: {
            host: jumpHost.host,
            port: jumpHost.port,
            user: jumpHost.user,
            privateKey: pulumi.secret(jumpHost.privateKey),
            dialErrorLimit,
            perDialTimeout: PER_DIAL_SECONDS,
          },
        }),
  };
}

export interface RemoteStepArgs {
  readonly connection: command.types.input.remote.ConnectionArgs;
  /** Command line that performs the step; must be idempotent (a guard makes a second run a no-op). */
  readonly create: pulumi.Input<string>;
  /** Command line run when the step's inputs change; defaults to create (re-running is safe by design). */
  readonly update?: pulumi.Input<string>;
  /** Command line run when the step is removed. */
  readonly delete?: pulumi.Input<string>;
  /** Secret input handed to the command on standard input (never on the command line). */
  readonly stdin?: pulumi.Input<string>;
  /** The step's output may contain secrets: log nothing and keep stdout/stderr secret in state. */
  readonly secretOutput?: boolean;
  /** Values whose change must re-run the step. */
  readonly triggers?: pulumi.Input<unknown>[];
}

/** One remote step. Steps of one machine are chained with dependsOn by the component that owns them. */
export function remoteStep(name: string, args: RemoteStepArgs, opts: pulumi.CustomResourceOptions): command.remote.Command {
  const secret = args.secretOutput === true || args.stdin !== undefined;
  return new command.remote.Command(
    name,
    {
      connection: args.connection,
      create: args.create,
      update: args.update ?? args.create,
      delete: args.delete,
      stdin: args.stdin === undefined ? undefined : pulumi.secret(args.stdin),
      triggers: args.triggers,
      logging: secret ? "none" : "stdoutAndStderr",
    },
    secret ? { ...opts, additionalSecretOutputs: ["stdout", "stderr"] } : opts,
  );
}
