import { defineConfig } from "vitest/config";

// Three kinds of test, as in ElectroDB: pure unit tests, connected tests against the local
// emulators (DynamoDB Local, the SES emulator, the SMTP server), and end-to-end tests that
// drive the running local platform over HTTP only.
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"] } },
      {
        test: {
          name: "connected",
          include: ["test/connected/**/*.test.ts"],
          globalSetup: ["test/connected/emulators.setup.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
