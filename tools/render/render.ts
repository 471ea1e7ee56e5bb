/** Renders a stack to files: read the stack file, validate, run the program under mocks, collect the output. */
import { loadStack } from "../../infra/config/load";
import { machineAddresses } from "../../infra/machines";
import { deployStack } from "../../infra/program";
import { renderFiles, type RenderedFiles } from "./files";
import { runUnderMocks } from "./mockRuntime";
import { readStackFile, stackFileSource, type StackFile } from "./stackFile";

export const PROJECT = "opentwin";

export async function renderStack(stacksDir: string, stack: string): Promise<RenderedFiles> {
  return renderStackFile(readStackFile(stacksDir, stack), stack);
}

/** Renders configuration already read (tests use it to render stacks with secrets set). */
export async function renderStackFile(file: StackFile, stack: string): Promise<RenderedFiles> {
  const loaded = loadStack(stackFileSource(file), { allowMissingSecrets: true });
  const resources = await runUnderMocks({ project: PROJECT, stack, config: file.config, secretKeys: file.secretKeys }, () => {
    deployStack(loaded);
  });
  return renderFiles(resources, machineAddresses(loaded.config));
}
