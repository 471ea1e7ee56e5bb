/**
 * The host-check tier (`npm run test:hosts`): every script and file that runs on a host, checked with
 * the real tool that reads it. Files are named *.check.ts so the default `npm test` never picks them up.
 */
import { resolve } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  root: resolve(__dirname, "..", ".."),
  test: {
    include: ["test/hosts/**/*.check.ts"],
    globalSetup: ["test/hosts/globalSetup.ts"],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    reporters: ["default", "./tools/checks/summaryReporter.ts"],
  },
});
