import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runInNewContext } from "node:vm";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { serveDashboard } from "#infra/local/dashboard-files.ts";
import { readSignInConfig } from "../../web/src/sign-in/sign-in-config.ts";
import { refId, synth } from "./synth.ts";

// The dashboard on AWS: a private bucket behind CloudFront with Origin Access
// Control, the API under /api/ of the same distribution, the headers, the deployment of web/dist
// with its config.json, and the Cognito managed login it signs in with.

const s = synth();
type Props = Record<string, unknown>;
const one = (type: string) => {
  const all = Object.entries(s.ofType(type));
  expect(all, type).toHaveLength(1);
  return { id: all[0]![0], props: all[0]![1].Properties! };
};
const byIdPrefix = (type: string, prefix: string) => {
  const found = Object.entries(s.ofType(type)).filter(([id]) => id.startsWith(prefix));
  expect(found, `${type} ${prefix}*`).toHaveLength(1);
  return { id: found[0]![0], props: found[0]![1].Properties!, resource: found[0]![1] };
};
/** A template string value as text, each Ref written {Name} and each GetAtt {Name.Attribute}. */
const text = (value: unknown): string => {
  if (typeof value === "string") return value;
  const v = value as { Ref?: string; "Fn::GetAtt"?: string[]; "Fn::Join"?: [string, unknown[]] };
  if (v.Ref) return `{${v.Ref}}`;
  if (v["Fn::GetAtt"]) return `{${v["Fn::GetAtt"].join(".")}}`;
  if (v["Fn::Join"]) return v["Fn::Join"][1].map(text).join(v["Fn::Join"][0]);
  throw new Error(`no text for ${JSON.stringify(value)}`);
};
/** A Content-Security-Policy as directive → sources. */
const directives = (csp: string) =>
  Object.fromEntries(
    csp.split(";").map((d) => {
      const [name, ...sources] = d.trim().split(/\s+/);
      return [name!, sources.join(" ")];
    }),
  );

const bucket = byIdPrefix("AWS::S3::Bucket", "DashboardFiles");
const distribution = one("AWS::CloudFront::Distribution");
const config = distribution.props.DistributionConfig as {
  Origins: { Id: string; DomainName: unknown; OriginAccessControlId?: unknown; S3OriginConfig?: Props }[];
  DefaultCacheBehavior: Props;
  CacheBehaviors: Props[];
  DefaultRootObject: string;
  CustomErrorResponses?: unknown;
  ViewerCertificate?: unknown;
};
const apiBehaviour = config.CacheBehaviors.find((b) => b.PathPattern === "/api/*")!;
const originOf = (behaviour: Props) => config.Origins.find((o) => o.Id === behaviour.TargetOriginId)!;
const userPoolDomain = one("AWS::Cognito::UserPoolDomain");
const client = one("AWS::Cognito::UserPoolClient");
const dashboardUrl = `https://{${distribution.id}.DomainName}`;
const signInOrigin = `https://{${userPoolDomain.id}}.auth.eu-west-2.amazoncognito.com`;

describe("the dashboard bucket", () => {
  it("is private, encrypted, TLS only, and no website", () => {
    expect(bucket.props).toMatchObject({
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] },
    });
    expect(bucket.props.WebsiteConfiguration).toBeUndefined();
  });

  it("lets CloudFront read it for this distribution only, and refuses plain HTTP", () => {
    const policy = byIdPrefix("AWS::S3::BucketPolicy", "DashboardFiles");
    expect(refId(policy.props.Bucket)).toBe(bucket.id);
    const statements = (policy.props.PolicyDocument as { Statement: Props[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: "Deny",
        Action: "s3:*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      }),
    );
    const allows = statements.filter((st) => st.Effect === "Allow");
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: "s3:GetObject",
      Principal: { Service: "cloudfront.amazonaws.com" },
    });
    expect(text((allows[0]!.Condition as { StringEquals: Props }).StringEquals["AWS:SourceArn"])).toMatch(
      new RegExp(`:distribution/\\{${distribution.id}\\}$`),
    );
  });
});

describe("the CloudFront distribution", () => {
  it("reads the bucket through Origin Access Control (signed requests), not an identity", () => {
    const origin = originOf(config.DefaultCacheBehavior);
    expect(refId(origin.DomainName)).toBe(bucket.id);
    const oac = one("AWS::CloudFront::OriginAccessControl");
    expect(refId(origin.OriginAccessControlId)).toBe(oac.id);
    expect(oac.props.OriginAccessControlConfig).toMatchObject({
      OriginAccessControlOriginType: "s3",
      SigningBehavior: "always",
      SigningProtocol: "sigv4",
    });
    expect(origin.S3OriginConfig).toEqual({ OriginAccessIdentity: "" });
  });

  it("serves nothing over plain HTTP: pages redirect to HTTPS, the API refuses", () => {
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe("redirect-to-https");
    expect(apiBehaviour.ViewerProtocolPolicy).toBe("https-only");
    expect(config.CacheBehaviors.map((b) => b.PathPattern)).toEqual(["/api/*"]);
  });

  it("answers / with index.html, and every page of the app with index.html by a viewer-request function", () => {
    expect(config.DefaultRootObject).toBe("index.html");
    const fn = one("AWS::CloudFront::Function");
    expect(fn.props.FunctionConfig).toMatchObject({ Runtime: "cloudfront-js-2.0" });
    expect(config.DefaultCacheBehavior.FunctionAssociations).toEqual([
      { EventType: "viewer-request", FunctionARN: { "Fn::GetAtt": [fn.id, "FunctionARN"] } },
    ]);
    expect(apiBehaviour.FunctionAssociations).toBeUndefined();
    // The deployed code itself, run as CloudFront would (handler(event) → request).
    const handler = runInNewContext(`${fn.props.FunctionCode as string}\nhandler`) as (e: {
      request: { uri: string };
    }) => { uri: string };
    const served = (uri: string) => handler({ request: { uri } }).uri;
    for (const page of [
      "/",
      "/sign-in",
      "/organisations/demo",
      "/organisations/demo/groups/g.1/roles",
      "/organisations/acme.org",
    ])
      expect(served(page), page).toBe("/index.html");
    for (const file of ["/index.html", "/config.json", "/assets/index-DihwCVCq.js", "/assets/missing.js"])
      expect(served(file), file).toBe(file);
  });

  it("has no error responses, which would turn the API's 403 and 404 problems into index.html", () => {
    expect(config.CustomErrorResponses).toBeUndefined();
  });

  it("sends /api/* to the HTTP API uncached, with every method and the Authorization header", () => {
    const origin = originOf(apiBehaviour);
    expect(text(origin.DomainName)).toBe(
      `{${one("AWS::ApiGatewayV2::Api").id}}.execute-api.eu-west-2.{AWS::URLSuffix}`,
    );
    expect(apiBehaviour).toMatchObject({
      // Managed policies CachingDisabled and AllViewerExceptHostHeader: with caching off, an
      // all-viewer origin request policy forwards Authorization; API Gateway needs its own Host.
      CachePolicyId: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      OriginRequestPolicyId: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
    });
    expect([...(apiBehaviour.AllowedMethods as string[])].sort()).toEqual([
      "DELETE",
      "GET",
      "HEAD",
      "OPTIONS",
      "PATCH",
      "POST",
      "PUT",
    ]);
  });
});

describe("the response headers", () => {
  const policyOf = (behaviour: Props) =>
    (
      s.ofType("AWS::CloudFront::ResponseHeadersPolicy")[refId(behaviour.ResponseHeadersPolicyId)!]!
        .Properties!.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Props }
    ).SecurityHeadersConfig;
  const pages = policyOf(config.DefaultCacheBehavior);

  it("give the pages the local server's Content-Security-Policy, connecting only to their origin and Cognito", async () => {
    const dist = mkdtempSync(join(tmpdir(), "convene-dist-"));
    writeFileSync(join(dist, "index.html"), "<!doctype html><title>x</title>");
    const local = await new Hono().use("*", serveDashboard(dist)).request("/");
    const localCsp = directives(local.headers.get("content-security-policy")!);
    expect(localCsp["connect-src"]).toBeUndefined();

    const csp = pages.ContentSecurityPolicy as { ContentSecurityPolicy: unknown; Override: boolean };
    expect(csp.Override).toBe(true);
    const { "connect-src": connect, ...rest } = directives(text(csp.ContentSecurityPolicy));
    expect(rest).toEqual(localCsp);
    expect(connect).toBe(`'self' ${signInOrigin}`);
  });

  it("keep every answer on HTTPS, unsniffed and unframed, pages and API alike", () => {
    for (const headers of [pages, policyOf(apiBehaviour)]) {
      expect(headers.StrictTransportSecurity).toMatchObject({ IncludeSubdomains: true, Override: true });
      expect(
        (headers.StrictTransportSecurity as { AccessControlMaxAgeSec: number }).AccessControlMaxAgeSec,
      ).toBeGreaterThanOrEqual(31_536_000);
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toEqual({ FrameOption: "DENY", Override: true });
    }
    // The API's answers (JSON, the unsubscribe page) are not the dashboard: no dashboard CSP.
    expect(policyOf(apiBehaviour).ContentSecurityPolicy).toBeUndefined();
  });
});

describe("the deployment of web/dist and config.json", () => {
  const assets = byIdPrefix("Custom::CDKBucketDeployment", "DashboardDeployAssets");
  const pages = byIdPrefix("Custom::CDKBucketDeployment", "DashboardDeployPages");
  // The assets' manifest: where each file asset (by hash) was staged, relative to the assembly.
  const assembly = s.app.synth();
  const assetManifest = JSON.parse(
    readFileSync(join(assembly.directory, `${s.stacks.stateless.artifactId}.assets.json`), "utf8"),
  ) as { files: Record<string, { source: { path: string } }> };
  const stagedAt = (objectKey: unknown) =>
    resolve(assembly.directory, assetManifest.files[String(objectKey).replace(/\.zip$/, "")]!.source.path);

  it("uploads the build's assets as immutable and index.html and config.json as no-cache, pages last", () => {
    expect(refId(assets.props.DestinationBucketName)).toBe(bucket.id);
    expect(refId(pages.props.DestinationBucketName)).toBe(bucket.id);
    expect(assets.props).toMatchObject({
      Exclude: ["index.html"],
      Prune: false,
      SystemMetadata: { "cache-control": "public, max-age=31536000, immutable" },
    });
    expect(pages.props).toMatchObject({
      Exclude: ["*"],
      Include: ["index.html", "config.json"],
      Prune: false,
      SystemMetadata: { "cache-control": "no-cache" },
      DistributionPaths: ["/*"],
    });
    expect(refId(pages.props.DistributionId)).toBe(distribution.id);
    expect(pages.resource.DependsOn).toContain(assets.id);
    const [build] = pages.props.SourceObjectKeys as string[];
    expect(assets.props.SourceObjectKeys).toEqual([build]);
  });

  it("is not built when synthesising with bundling skipped: the asset is the web folder itself", () => {
    expect(stagedAt((assets.props.SourceObjectKeys as string[])[0])).toBe(
      resolve(import.meta.dirname, "../../web"),
    );
  });

  it("writes a config.json naming Cognito's managed login, the client and the dashboard's sign-in page", () => {
    const keys = pages.props.SourceObjectKeys as string[];
    const staged = stagedAt(keys[1]);
    expect(readdirSync(staged)).toEqual(["config.json"]);
    const markers = (pages.props.SourceMarkers as Record<string, unknown>[])[1]!;
    let json = readFileSync(join(staged, "config.json"), "utf8");
    for (const [marker, value] of Object.entries(markers)) json = json.replaceAll(marker, text(value));
    expect(JSON.parse(json)).toEqual({
      signIn: "cognito",
      domain: signInOrigin,
      clientId: `{${client.id}}`,
      redirectUri: `${dashboardUrl}/sign-in`,
      logoutUri: `${dashboardUrl}/sign-in`,
    });
    // What the dashboard reads from it, once CloudFormation has filled in the names.
    const deployed = json
      .replaceAll(`{${userPoolDomain.id}}`, "convene-dev-123456789012")
      .replaceAll(`{${client.id}}`, "4example5client6id")
      .replaceAll(`{${distribution.id}.DomainName}`, "d1234abcd.cloudfront.net");
    expect(readSignInConfig(JSON.parse(deployed))).toEqual({
      signIn: "cognito",
      domain: "https://convene-dev-123456789012.auth.eu-west-2.amazoncognito.com",
      clientId: "4example5client6id",
      redirectUri: "https://d1234abcd.cloudfront.net/sign-in",
      logoutUri: "https://d1234abcd.cloudfront.net/sign-in",
    });
  });
});

describe("signing in to the dashboard with Cognito", () => {
  it("offers the pool's managed login (which enrols authenticators) at convene-<stage>-<account>", () => {
    expect(refId(userPoolDomain.props.UserPoolId)).toBe(one("AWS::Cognito::UserPool").id);
    expect(text(userPoolDomain.props.Domain)).toBe("convene-dev-{AWS::AccountId}");
    expect(userPoolDomain.props.ManagedLoginVersion).toBe(2);
    const style = one("AWS::Cognito::ManagedLoginBranding").props;
    expect(refId(style.ClientId)).toBe(client.id);
    expect(style.UseCognitoProvidedValues).toBe(true);
  });

  it("lets the dashboard's client use the code flow only, back to the dashboard's sign-in page only", () => {
    expect(client.props).toMatchObject({
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthFlows: ["code"],
      AllowedOAuthScopes: ["openid", "email"],
      SupportedIdentityProviders: ["COGNITO"],
      GenerateSecret: false,
    });
    expect((client.props.CallbackURLs as unknown[]).map(text)).toEqual([`${dashboardUrl}/sign-in`]);
    expect((client.props.LogoutURLs as unknown[]).map(text)).toEqual([`${dashboardUrl}/sign-in`]);
  });
});

describe("the dashboard's URL", () => {
  it("is an output", () => {
    expect(text(s.stateless.findOutputs("DashboardUrl").DashboardUrl!.Value)).toBe(dashboardUrl);
  });

  it("is where members' links point unless publicBaseUrl is set, since it serves the API too", () => {
    const baseUrl = (synthesised: typeof s) =>
      Object.values(synthesised.ofType("AWS::Lambda::Function"))
        .filter((f) => f.Properties!.FunctionName === "convene-dev-api")
        .map((f) => (f.Properties!.Environment as { Variables: Props }).Variables.PUBLIC_BASE_URL)[0];
    expect(text(baseUrl(s))).toBe(dashboardUrl);
    expect(baseUrl(synth({ publicBaseUrl: "https://convene.example.org" }))).toBe(
      "https://convene.example.org",
    );
  });
});
