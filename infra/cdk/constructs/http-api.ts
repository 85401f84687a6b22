import { RemovalPolicy, Validations } from "aws-cdk-lib";
import * as apigateway from "aws-cdk-lib/aws-apigateway";
import * as apigwv2 from "aws-cdk-lib/aws-apigatewayv2";
import { HttpJwtAuthorizer } from "aws-cdk-lib/aws-apigatewayv2-authorizers";
import { HttpLambdaIntegration } from "aws-cdk-lib/aws-apigatewayv2-integrations";
import type * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

export interface HttpApiProps {
  namePrefix: string;
  logRetentionDays: number;
  /** Issuer and audience of the tokens the JWT authoriser accepts (the Cognito pool and client). */
  issuer: string;
  audience: string;
}

const getAndPost = [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST];

/**
 * Routes of the API function a member reaches from an email without any account (the signed
 * link carries the right: a GET shows a confirmation page, a POST acts), and the OpenAPI document.
 */
export const publicRoutes = [
  { path: "/api/v1/unsubscribe", methods: getAndPost },
  { path: "/api/v1/ballot", methods: getAndPost },
  { path: "/api/v1/role-answer", methods: getAndPost },
  { path: "/api/v1/openapi.json", methods: [apigwv2.HttpMethod.GET] },
] as const;

/** The members' link pages the planning-api function serves (the API function's bundle is full). */
export const planningPublicRoutes = [
  { path: "/api/v1/rsvp-answer", methods: getAndPost },
  { path: "/api/v1/series-answer", methods: getAndPost },
] as const;

const linkReason =
  "Public by design: members have no account, and each link carries its own signed token (verified by the function); a GET changes nothing; the OpenAPI document is the published contract.";

/**
 * The HTTP API in front of the API function: every /api/v1 route needs a Cognito ID token
 * (JWT authoriser) except the public ones above; the app behind it verifies the token again
 * and authorises by tenant and group. Access logs hold request ids, routes, statuses and
 * timings: no addresses, no query strings (an unsubscribe link's token sits in one).
 */
export class HttpApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  private readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: HttpApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, "Api", {
      apiName: `${props.namePrefix}-api`,
      description: "Convene /api/v1",
      createDefaultStage: false,
      // Kept on, by decision: the endpoint is CloudFront's origin for /api/*
      // (DashboardHosting.serveApi), and without a custom domain (an ACM certificate for a
      // domain the organisation owns) CloudFront has no other way in. A request sent there
      // directly meets the same stage throttle, the same JWT authoriser and the same function,
      // which sends its own security headers (functions/api/security-headers.ts); CloudFront
      // adds no WAF or geo rule that it would bypass. Requiring a secret header from CloudFront
      // would add a secret readable in the distribution's config, its rotation and a check per
      // request, to keep out callers who can do nothing there they cannot do through CloudFront.
      // With a custom domain, point the origin at it and set this to true.
      disableExecuteApiEndpoint: false,
    });
    const accessLogs = new logs.LogGroup(this, "AccessLogs", {
      retention: props.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, "DefaultStage", {
      httpApi: this.api,
      stageName: "$default",
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: "$context.requestId",
            time: "$context.requestTime",
            routeKey: "$context.routeKey",
            status: "$context.status",
            latencyMs: "$context.responseLatency",
            integrationError: "$context.integrationErrorMessage",
            authorizerError: "$context.authorizer.error",
          }),
        ),
      },
    });
    this.authorizer = new HttpJwtAuthorizer("Cognito", props.issuer, {
      authorizerName: "cognito",
      jwtAudience: [props.audience],
    });
  }

  /** The API's base URL (the $default stage serves at the root). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /**
   * Sends these /api/v1 paths to another function instead, behind the same authoriser: a route
   * with a longer path wins over /api/v1/{proxy+}. The API function still documents them.
   */
  serveAlso(id: string, fn: lambda.IFunction, paths: readonly string[]): void {
    const integration = new HttpLambdaIntegration(id, fn);
    for (const path of paths)
      this.api.addRoutes({
        path,
        methods: [apigwv2.HttpMethod.ANY],
        integration,
        authorizer: this.authorizer,
      });
  }

  /**
   * Sends these paths (GET only) to another function without the authoriser: the calendar
   * feeds, which calendar apps poll with no token, the URL being the right (a group's public
   * feed, or a member's unguessable one).
   */
  servePublicly(id: string, fn: lambda.IFunction, paths: readonly string[]): void {
    const integration = new HttpLambdaIntegration(id, fn);
    for (const path of paths) {
      const added = this.api.addRoutes({ path, methods: [apigwv2.HttpMethod.GET], integration });
      for (const r of added)
        Validations.of(r).acknowledge({
          id: "AwsSolutions-APIG4",
          reason:
            "Calendar feeds are read by calendar apps, which send no token: a group's feed is public by the group's choice, and a member's carries its own 256-bit token (only its digest is stored; revoking it makes the URL 404).",
        });
    }
  }

  /** Sends the planning-api's members' link pages to it, without the authoriser (see linkReason). */
  servePlanningLinks(id: string, fn: lambda.IFunction): void {
    const integration = new HttpLambdaIntegration(id, fn);
    for (const route of planningPublicRoutes)
      for (const r of this.api.addRoutes({ path: route.path, methods: [...route.methods], integration }))
        Validations.of(r).acknowledge({ id: "AwsSolutions-APIG4", reason: linkReason });
  }

  /** Sends every /api/v1 route to the function: behind the authoriser, but for the public ones. */
  serve(fn: lambda.IFunction): void {
    const integration = new HttpLambdaIntegration("ApiFunction", fn);
    this.api.addRoutes({
      path: "/api/v1/{proxy+}",
      methods: [apigwv2.HttpMethod.ANY],
      integration,
      authorizer: this.authorizer,
    });
    for (const route of publicRoutes) {
      const added = this.api.addRoutes({ path: route.path, methods: [...route.methods], integration });
      for (const r of added) Validations.of(r).acknowledge({ id: "AwsSolutions-APIG4", reason: linkReason });
    }
  }
}
