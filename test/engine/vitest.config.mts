/**
 * The real-engine tier (`npm run test:engine`): the real pulumi CLI, our Node.js language host and the
 * kubernetes provider from the toolchain cache, on temporary copies of the project. *.check.ts files,
 * so the default `npm test` never picks them up.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: resolve(here, "..", ".."),
  test: {
    include: ["test/engine/**/*.check.ts"],
    testTimeout: 600_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    reporters: ["default", "./tools/checks/summaryReporter.ts"],
  },
});
