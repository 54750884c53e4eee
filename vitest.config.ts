import { defineConfig } from "vitest/config";

// Unit tests: no service needed (embedded PGlite in memory). Integration tests: vitest.int.config.ts.
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["**/*.int.test.ts", "node_modules/**", "evals/**", "data/**"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
