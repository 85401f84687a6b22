// The API on a cold container, in `npm run bench`: the organisation overview and a group page,
// each asked of a fresh Node process that loads the API's Lambda bundle and answers its first
// request, as a new container would (its module load, then the request that composes its ports:
// SDK clients, the link-signing secret, Cognito's keys, then DynamoDB), and then the same
// request again, warm. Several processes per route; p50 and p95 over them.
//
// The function's environment is the deployed one's, pointed at the local platform's DynamoDB
// Local; Secrets Manager (the link secret) and Cognito (its JSON Web Key Set) are stand-ins on
// a local port that answer at once, where the real services take a few milliseconds more.

import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { bundleFunction } from "#infra/cdk/bundling.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";
import type { RunningPlatform } from "#infra/local/platform.ts";
import { benchBundleRoot } from "./cold-start.ts";
import { latencyOf, type LatencySummary } from "./probes.ts";

const run = promisify(execFile);

/**
 * The child: loads the bundle, sends it one API Gateway (HTTP API, payload 2.0) request for the
 * path, then the same again; prints the three durations and both statuses.
 */
const probe = `
const [file, path, token] = process.argv.slice(1);
const request = (n) => [{
  version: "2.0", routeKey: "$default", rawPath: path, rawQueryString: "", isBase64Encoded: false,
  headers: { authorization: "Bearer " + token, host: "api.bench.invalid" },
  requestContext: { accountId: "000000000000", apiId: "bench", domainName: "api.bench.invalid",
    domainPrefix: "api", requestId: "bench-" + n, routeKey: "$default", stage: "$default",
    time: new Date().toISOString(), timeEpoch: Date.now(),
    http: { method: "GET", path, protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "bench" } },
}, { awsRequestId: "bench-" + n, functionName: "convene-bench-api", functionVersion: "$LATEST",
    memoryLimitInMB: "512", invokedFunctionArn: "arn:aws:lambda:eu-west-2:000000000000:function:convene-bench-api",
    getRemainingTimeInMillis: () => 10000 }];
const t0 = performance.now();
const { handler } = await import(file);
const t1 = performance.now();
const first = await handler(...request(1));
const t2 = performance.now();
const again = await handler(...request(2));
const t3 = performance.now();
process.stdout.write(JSON.stringify({ loadMs: t1 - t0, firstMs: t2 - t1, warmMs: t3 - t2,
  statuses: [first.statusCode, again.statusCode], bytes: first.body.length }));
`;

interface ProbeRun {
  loadMs: number;
  firstMs: number;
  warmMs: number;
  statuses: [number, number];
  bytes: number;
}

export interface ColdRouteResult {
  path: string;
  /** Importing the bundle. */
  load: LatencySummary;
  /** The first request: composing the ports, then answering. */
  firstRequest: LatencySummary;
  /** Both: what the caller of a cold container waits for, beyond Lambda's own start. */
  coldTotal: LatencySummary;
  /** The same request again in the same process. */
  warm: LatencySummary;
  responseBytes: number;
}

export interface ColdApiResult {
  processes: number;
  groups: number;
  routes: { overview: ColdRouteResult; group: ColdRouteResult };
}

/** Cognito's key set and Secrets Manager's GetSecretValue, on one local port. */
const startStandIns = async (jwks: unknown, linkSecret: string): Promise<{ server: Server; url: string }> => {
  const server = createServer((req, res) => {
    req.resume().on("end", () => {
      if (req.method === "GET" && req.url === "/.well-known/jwks.json") {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(jwks));
      } else if (req.method === "POST" && req.headers["x-amz-target"] === "secretsmanager.GetSecretValue") {
        res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
        res.end(
          JSON.stringify({
            ARN: "arn:aws:secretsmanager:eu-west-2:000000000000:secret:link",
            SecretString: linkSecret,
          }),
        );
      } else {
        res.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

export const benchColdApi = async (
  platform: RunningPlatform,
  target: { organisationId: string; groupId: string; groups: number },
  processes = 20,
): Promise<ColdApiResult> => {
  const api = functionEntries().find((e) => e.name === "api")!;
  const bundle = await bundleFunction(api.entry, `${benchBundleRoot}cold-api`);
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), alg: "ES256", kid: "bench-1", use: "sig" }] };
  const standIns = await startStandIns(jwks, randomBytes(32).toString("hex"));
  try {
    const issuer = standIns.url;
    const clientId = "convene-bench";
    const token = await new SignJWT({
      "cognito:groups": ["umbrella-admin"],
      "custom:organisation": target.organisationId,
      "custom:groups": "",
      token_use: "id",
    })
      .setProtectedHeader({ alg: "ES256", kid: "bench-1" })
      .setSubject("bench-admin")
      .setIssuer(issuer)
      .setAudience(clientId)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    // What the CDK app sets for the API function (its needs' variables), and the endpoints.
    const env = {
      PATH: process.env.PATH ?? "",
      AWS_REGION: "eu-west-2",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: platform.services.dynamo.endpoint,
      AWS_ENDPOINT_URL_SECRETS_MANAGER: standIns.url,
      POWERTOOLS_LOG_LEVEL: "SILENT",
      POWERTOOLS_SERVICE_NAME: "convene-bench-api",
      TABLE_NAME: platform.runtime.store.tableName,
      FROM_ADDRESS: "reminders@convene.bench.invalid",
      PUBLIC_BASE_URL: "https://convene.bench.invalid",
      REPLY_DOMAIN: "reply.convene.bench.invalid",
      LINK_SECRET_PARAMETER: "convene-bench/link-signing",
      COGNITO_ISSUER: issuer,
      COGNITO_CLIENT_ID: clientId,
    };
    const o = encodeURIComponent(target.organisationId);
    const paths = {
      overview: `/api/v1/organisations/${o}/overview`,
      group: `/api/v1/organisations/${o}/groups/${encodeURIComponent(target.groupId)}`,
    };
    const runs: Record<keyof typeof paths, ProbeRun[]> = { overview: [], group: [] };
    // Alternating, so that the machine's load falls on both routes alike.
    for (let i = 0; i < processes; i++)
      for (const route of ["overview", "group"] as const) {
        const { stdout } = await run(
          process.execPath,
          ["--input-type=module", "-e", probe, bundle.file, paths[route], token],
          { env },
        ).catch((error: { stderr?: string }) => {
          // Node prints the minified line first; the error's own lines are what say why.
          const why = (error.stderr ?? "")
            .split("\n")
            .filter((line) => /^\w*(Error|Exception|Environment)\b/.test(line));
          throw new Error(
            `the cold API process failed for ${paths[route]}: ${why.join(" | ") || "no error line"}`,
          );
        });
        const answer = JSON.parse(stdout) as ProbeRun;
        if (answer.statuses.some((s) => s !== 200))
          throw new Error(`the cold API answered ${answer.statuses.join(" then ")} for ${paths[route]}`);
        runs[route].push(answer);
      }
    const summary = (route: keyof typeof paths): ColdRouteResult => {
      const of = (ms: (r: ProbeRun) => number) =>
        latencyOf(runs[route].map((r) => ({ start: 0, end: ms(r) })));
      return {
        path: paths[route]
          .replace(o, "{organisationId}")
          .replace(encodeURIComponent(target.groupId), "{groupId}"),
        load: of((r) => r.loadMs),
        firstRequest: of((r) => r.firstMs),
        coldTotal: of((r) => r.loadMs + r.firstMs),
        warm: of((r) => r.warmMs),
        responseBytes: runs[route][0]!.bytes,
      };
    };
    return {
      processes,
      groups: target.groups,
      routes: { overview: summary("overview"), group: summary("group") },
    };
  } finally {
    await new Promise<void>((resolve) => standIns.server.close(() => resolve()));
  }
};

const row = (label: string, s: LatencySummary) =>
  `${label.padEnd(26)} p50 ${s.p50Ms.toFixed(1).padStart(6)} ms · p95 ${s.p95Ms.toFixed(1).padStart(6)} ms`;

export const renderColdApiReport = (r: ColdApiResult): string =>
  [
    "",
    `API on a cold container — ${r.processes} fresh processes per route, each loading the API's bundle and answering its first request, then the same again`,
    "  (DynamoDB Local; Secrets Manager and Cognito's keys from local stand-ins that answer at once)",
    ...(
      [
        ["overview", `organisation overview, ${r.groups} groups`],
        ["group", "group page"],
      ] as const
    ).flatMap(([key, title]) => {
      const route = r.routes[key];
      return [
        `  ${title} (GET ${route.path}, ${(route.responseBytes / 1024).toFixed(1)} KB)`,
        `    ${row("cold: load + first request", route.coldTotal)}`,
        `    ${row("  module load", route.load)}`,
        `    ${row("  first request", route.firstRequest)}`,
        `    ${row("warm: the next request", route.warm)}`,
      ];
    }),
  ].join("\n");
