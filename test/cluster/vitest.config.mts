/**
 * The cluster tier (`npm run test:cluster`): the e2e stack deployed with the real engine onto the
 * kwok loopback cluster and checked against the live API. *.check.ts, so `npm test` never runs it.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: resolve(here, "..", ".."),
  test: {
    include: ["test/cluster/**/*.check.ts"],
    testTimeout: 900_000,
    hookTimeout: 1_800_000,
    fileParallelism: false,
    reporters: ["default", "./tools/checks/summaryReporter.ts"],
  },
});
