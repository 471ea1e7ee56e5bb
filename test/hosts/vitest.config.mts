/**
 * The host-check tier (`npm run test:hosts`): every script and file that runs on a host, checked with
 * the real tool that reads it. Files are named *.check.ts so the default `npm test` never picks them up.
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: resolve(here, "..", ".."),
  test: {
    include: ["test/hosts/**/*.check.ts"],
    globalSetup: ["test/hosts/globalSetup.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ["default", "./tools/checks/summaryReporter.ts"],
  },
});
