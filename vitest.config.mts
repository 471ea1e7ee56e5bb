import { defineConfig } from "vitest/config";

// `npm test`: pure functions, components under mocks, and the offline render. The host-check,
// real-engine and cluster tiers have their own configurations and commands.
export default defineConfig({
  test: {
    include: ["test/unit/**/*.test.ts", "test/components/**/*.test.ts", "test/render/**/*.test.ts"],
    testTimeout: 30_000,
  },
});
