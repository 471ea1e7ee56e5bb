/**
 * Entry point of `pulumi preview|up`: read and validate the whole stack configuration (nothing is
 * registered when it is invalid, and every missing secret is named), then build the four levels.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadStack, runtimeConfigSource } from "./config/load";
import { deployStack } from "./program";

function load() {
  try {
    return loadStack(runtimeConfigSource(), { allowMissingSecrets: false });
  } catch (error) {
    // RunError prints the message alone, without a stack trace of the program.
    if (error instanceof ConfigError) throw new pulumi.RunError(error.message);
    throw error;
  }
}

const outputs = deployStack(load());

export const apiEndpoint = outputs.apiEndpoint;
export const namespace = outputs.namespace;
export const caCertificate = outputs.caCertificate;
export const publicUrls = outputs.publicUrls;
