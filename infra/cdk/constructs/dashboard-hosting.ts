import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { AssetHashType, DockerImage, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import * as origins from "aws-cdk-lib/aws-cloudfront-origins";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import * as s3 from "aws-cdk-lib/aws-s3";
import * as s3assets from "aws-cdk-lib/aws-s3-assets";
import * as s3deploy from "aws-cdk-lib/aws-s3-deployment";
import { Construct } from "constructs";
import type { CognitoSignInConfig } from "../../../web/src/sign-in/sign-in-config.ts";
import { acknowledgeWildcards } from "../acknowledge.ts";
import type { HttpApi } from "./http-api.ts";

export interface DashboardHostingProps {
  namePrefix: string;
  logRetentionDays: number;
  /** The origin of the user pool's managed login, whose token endpoint the dashboard calls. */
  signInOrigin: string;
}

const webDir = fileURLToPath(new URL("../../../web", import.meta.url));
const bundleCli = fileURLToPath(new URL("../dashboard-bundle-cli.ts", import.meta.url));

/**
 * The Content-Security-Policy of infra/local/dashboard-files.ts (test/infra/dashboard.test.ts
 * compares them), plus where the browser may connect: its own origin (the API is served there
 * under /api/) and Cognito's token endpoint.
 */
const dashboardCsp = (signInOrigin: string) =>
  [
    "default-src 'self'",
    `connect-src 'self' ${signInOrigin}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");

/**
 * A CloudFront Function (cloudfront-js-2.0) on viewer requests to the bucket: a page of the
 * single-page app (any path that is not under /assets/ and not a file at the top level, such as
 * /config.json) is answered with index.html, as the local server does. Error responses
 * (403/404 → index.html) would do the same for the bucket, but CloudFront applies them to every
 * origin of a distribution: they would turn the API's own 403 and 404 problems under /api/ into
 * index.html with 200. A missing /assets/ file stays an error, so a stale page fails visibly
 * instead of running HTML as script.
 */
const pageRequestRewrite = `function handler(event) {
  var request = event.request;
  if (!/^\\/assets\\//.test(request.uri) && !/^\\/[^/]+\\.[A-Za-z0-9]+$/.test(request.uri)) request.uri = "/index.html";
  return request;
}`;

/**
 * The dashboard on AWS: its build (web/dist) in a private bucket, served by CloudFront through
 * Origin Access Control over HTTPS, with strict security headers; the HTTP API under /api/ of
 * the same distribution, so the dashboard calls the same paths as locally and members' links
 * (unsubscribe, a group's page) work from one base URL; and a /config.json, written at
 * deployment, that tells the dashboard to sign in with Cognito.
 */
export class DashboardHosting extends Construct {
  readonly bucket: s3.Bucket;
  readonly distribution: cloudfront.Distribution;
  private readonly props: DashboardHostingProps;

  constructor(scope: Construct, id: string, props: DashboardHostingProps) {
    super(scope, id);
    this.props = props;
    this.bucket = new s3.Bucket(this, "Files", {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      // Build output only, rebuilt on every deployment; replacing the stack must not fail on a
      // non-empty bucket, so it is left behind (and can be emptied and deleted by hand).
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.bucket).acknowledge({
      id: "AwsSolutions-S1",
      reason:
        "Holds only the dashboard's public build output (no personal data), written only by the deployment and read only by CloudFront through Origin Access Control; server access logs would need a second bucket, itself without access logs.",
    });

    const pageHeaders = new cloudfront.ResponseHeadersPolicy(this, "PageHeaders", {
      responseHeadersPolicyName: `${props.namePrefix}-dashboard`,
      comment: "Convene dashboard: CSP as locally, HSTS, nosniff, no framing",
      securityHeadersBehavior: {
        contentSecurityPolicy: { contentSecurityPolicy: dashboardCsp(props.signInOrigin), override: true },
        ...transportHeaders,
      },
    });
    const pages = new cloudfront.Function(this, "Pages", {
      functionName: `${props.namePrefix}-dashboard-pages`,
      comment: "Answers the dashboard's pages with index.html",
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      code: cloudfront.FunctionCode.fromInline(pageRequestRewrite),
    });
    this.distribution = new cloudfront.Distribution(this, "Distribution", {
      comment: `${props.namePrefix} dashboard and API`,
      defaultRootObject: "index.html",
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      // North America and Europe: where an umbrella organisation's staff are expected.
      priceClass: cloudfront.PriceClass.PRICE_CLASS_100,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
        // Plain HTTP gets a redirect and nothing else; HSTS keeps the browser on HTTPS after.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_GET_HEAD,
        cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: pageHeaders,
        functionAssociations: [{ function: pages, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
      },
    });
    const acknowledged: [string, string][] = [
      [
        "AwsSolutions-CFR1",
        "No geo restriction: the staff of an umbrella organisation sign in from wherever they are, and every page and API call needs a Cognito sign-in with MFA.",
      ],
      [
        "AwsSolutions-CFR2",
        "No AWS WAF web ACL (a fixed monthly charge plus one per request): the API is throttled at its stage, every /api/v1 route but the signed-link ones needs a Cognito token, and CloudFront's standard Shield protection applies.",
      ],
      [
        "AwsSolutions-CFR3",
        "No CloudFront access logs: they would record every client's IP address and full query string, and the query strings of members' links carry their signed tokens; the API's own access logs record request ids, routes and statuses without either.",
      ],
      [
        "AwsSolutions-CFR4",
        "The distribution uses CloudFront's default *.cloudfront.net certificate, whose minimum protocol CloudFront fixes; a custom domain with an ACM certificate (and TLSv1.2_2021) is a deployment choice left to the organisation.",
      ],
    ];
    for (const [ruleId, reason] of acknowledged)
      Validations.of(this.distribution).acknowledge({ id: ruleId, reason });
  }

  /** The dashboard's base URL (the distribution's own domain). */
  get url(): string {
    return `https://${this.distribution.distributionDomainName}`;
  }

  /**
   * Serves the HTTP API under /api/: never cached, every header (the bearer token included)
   * but Host forwarded, every method allowed, HTTPS only (a token sent over plain HTTP would
   * already be exposed, so it is refused rather than redirected).
   */
  serveApi(api: HttpApi): void {
    const stack = Stack.of(this);
    this.distribution.addBehavior(
      "/api/*",
      new origins.HttpOrigin(`${api.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      {
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        responseHeadersPolicy: new cloudfront.ResponseHeadersPolicy(this, "ApiHeaders", {
          responseHeadersPolicyName: `${this.props.namePrefix}-api`,
          comment: "Convene API: HSTS, nosniff, no framing",
          securityHeadersBehavior: transportHeaders,
        }),
      },
    );
  }

  /**
   * Uploads the dashboard's build and its /config.json, then invalidates CloudFront's copies.
   * Two deployments, because S3 takes one Cache-Control per upload: the content-hashed
   * /assets/ files are immutable, index.html and config.json must be asked for afresh. Neither
   * prunes, so a tab still showing the previous index.html can load its assets.
   */
  deploy(config: CognitoSignInConfig): void {
    const { namePrefix, logRetentionDays } = this.props;
    const role = new iam.Role(this, "DeploymentRole", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Uploads the ${namePrefix} dashboard to its bucket`,
    });
    const logGroup = new logs.LogGroup(this, "DeploymentLogs", {
      retention: logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    logGroup.grantWrite(role);
    const common = { destinationBucket: this.bucket, role, logGroup, prune: false, memoryLimit: 256 };
    const build = dashboardBuild();

    const assets = new s3deploy.BucketDeployment(this, "DeployAssets", {
      ...common,
      sources: [build],
      exclude: ["index.html"],
      cacheControl: [
        s3deploy.CacheControl.setPublic(),
        s3deploy.CacheControl.maxAge(Duration.days(365)),
        s3deploy.CacheControl.immutable(),
      ],
    });
    const pages = new s3deploy.BucketDeployment(this, "DeployPages", {
      ...common,
      sources: [build, s3deploy.Source.jsonData("config.json", config)],
      exclude: ["*"],
      include: ["index.html", "config.json"],
      cacheControl: [s3deploy.CacheControl.noCache()],
      distribution: this.distribution,
      distributionPaths: ["/*"],
    });
    // index.html names the assets: they are in place before it is.
    pages.node.addDependency(assets);

    this.acknowledgeDeploymentFindings(role, [assets, pages]);
  }

  /** What cdk-nag finds in the CDK's BucketDeployment (its grants and its provider), with why. */
  private acknowledgeDeploymentFindings(role: iam.Role, deployments: s3deploy.BucketDeployment[]): void {
    const uploads = deployments.flatMap((d) =>
      d.node.findAll().filter((c): c is s3assets.Asset => c instanceof s3assets.Asset),
    );
    acknowledgeWildcards(
      role,
      [...new Set(uploads.map((a) => a.bucket.arnForObjects("*")))],
      "Reads the uploaded build and config.json (CDK file assets, keyed by their hashes) from the bootstrap asset bucket, read-only.",
    );
    acknowledgeWildcards(
      role,
      [this.bucket.arnForObjects("*")],
      "Syncs the build into the dashboard bucket; the files are named by content hashes known only after the build.",
    );
    acknowledgeWildcards(
      role,
      ["*"],
      "cloudfront:CreateInvalidation and GetInvalidation, which the CDK's BucketDeployment grants on * to invalidate the dashboard's distribution after an upload; the role has no other CloudFront action.",
    );
    const actionGroups: [string, string][] = [
      ["s3:GetObject*", "reading the uploaded build from the asset bucket"],
      ["s3:GetBucket*", "locating the asset and dashboard buckets"],
      ["s3:List*", "listing what to sync"],
      ["s3:DeleteObject*", "replacing files in the dashboard bucket"],
      ["s3:Abort*", "abandoning a failed multipart upload to the dashboard bucket"],
    ];
    for (const [action, use] of actionGroups)
      Validations.of(role).acknowledge({
        id: `AwsSolutions-IAM5[Action::${action}]`,
        reason: `The action group the CDK's BucketDeployment grants for ${use}, on the asset bucket (read) or the dashboard bucket (write) only.`,
      });
    const provider = Stack.of(this).node.children.find((c) =>
      c.node.id.startsWith("Custom::CDKBucketDeployment"),
    );
    if (provider)
      Validations.of(provider).acknowledge({
        id: "AwsSolutions-L1",
        reason:
          "The CDK's BucketDeployment provider pins its Python runtime (3.13 in aws-cdk-lib 2.276); it runs only during deployments, and moves with aws-cdk-lib.",
      });
  }
}

/** HSTS for two years, nosniff, no framing: the headers every answer of the distribution carries. */
const transportHeaders = {
  strictTransportSecurity: {
    accessControlMaxAge: Duration.days(730),
    includeSubdomains: true,
    override: true,
  },
  contentTypeOptions: { override: true },
  frameOptions: { frameOption: cloudfront.HeadersFrameOption.DENY, override: true },
  referrerPolicy: { referrerPolicy: cloudfront.HeadersReferrerPolicy.NO_REFERRER, override: true },
} satisfies cloudfront.ResponseSecurityHeadersBehavior;

/**
 * web/dist as an asset, built like a function's bundle: locally, in a child process
 * (../dashboard-bundle-cli.ts), when the stack is synthesised for deployment. With bundling
 * skipped (context aws:cdk:bundling-stacks = [], as the template tests set) nothing is built
 * and the asset hash is a placeholder, so the tests need no web/dist.
 */
const dashboardBuild = (): s3deploy.ISource =>
  s3deploy.Source.asset(webDir, {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      image: DockerImage.fromRegistry("convene-bundles-locally-only"),
      local: {
        tryBundle(outputDir) {
          const run = spawnSync(process.execPath, ["--import", "tsx", bundleCli, webDir, outputDir], {
            stdio: ["ignore", "inherit", "inherit"],
          });
          if (run.status !== 0) throw new Error(`building the dashboard failed (exit ${run.status})`);
          return true;
        },
      },
    },
  });
