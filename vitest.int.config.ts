import { defineConfig } from "vitest/config";

// Integration tests against the real Postgres at DATABASE_URL (see scripts/setup-postgres.sh).
export default defineConfig({
  test: {
    include: ["**/*.int.test.ts"],
    exclude: ["node_modules/**", "evals/**", "data/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
