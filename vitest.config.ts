import { defineConfig } from "vitest/config";

// Three kinds of test, as in ElectroDB: pure unit tests, connected tests against the local
// emulators (DynamoDB Local, the SES emulator, the SMTP server), and end-to-end tests that
// drive the running local platform over HTTP only, or through the dashboard in a browser.
export default defineConfig({
  test: {
    // The SDK's notice that its 2027 releases need Node 22 is in the README; not in every run.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true", POWERTOOLS_LOG_LEVEL: "WARN" },
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts", "web/test/**/*.test.ts"] } },
      {
        test: {
          name: "infra",
          include: ["test/infra/**/*.test.ts"],
          // Synthesis tests share one aws-cdk-lib import per worker (loading it dominates their time).
          isolate: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
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
      {
        // The dashboard in Debian's Chromium (playwright-core) against the running platform.
        test: {
          name: "browser",
          include: ["test/browser/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
