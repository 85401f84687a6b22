import { describe, expect, it } from "vitest";
import { roleGroups } from "#infra/cdk/constructs/user-directory.ts";
import { refId, synth } from "./synth.ts";
import { planningPaths } from "#functions/api/planning-paths.ts";
import { ballotLinkRoutes } from "#functions/api/routes/ballot-links.ts";
import { roleLinkRoutes } from "#functions/api/routes/role-links.ts";
import { rsvpLinkRoutes } from "#functions/api/routes/rsvp-links.ts";
import { seriesLinkRoutes } from "#functions/api/routes/series-links.ts";
import { unsubscribeRoutes } from "#functions/api/routes/unsubscribe.ts";
import type { Ports } from "#ports/ports.ts";

const s = synth();
const one = (type: string) => {
  const all = Object.entries(s.ofType(type));
  expect(all, type).toHaveLength(1);
  return { id: all[0]![0], props: all[0]![1].Properties! };
};

describe("the user pool", () => {
  const pool = one("AWS::Cognito::UserPool");

  it("is invitation only, requires MFA, and has Convene's roles as groups", () => {
    expect(pool.props).toMatchObject({
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: "ON",
      DeletionProtection: "ACTIVE",
    });
    const groups = Object.values(s.ofType("AWS::Cognito::UserPoolGroup")).map((g) => g.Properties!.GroupName);
    expect(groups.sort()).toEqual([...roleGroups].sort());
    expect(roleGroups).toEqual(
      expect.arrayContaining(["umbrella-admin", "group-coordinator", "platform-admin"]),
    );
  });

  it("carries the organisation and a coordinator's groups as custom attributes", () => {
    const names = (pool.props.Schema as { Name: string }[]).map((a) => a.Name);
    expect(names).toEqual(expect.arrayContaining(["organisation", "groups"]));
  });

  it("has an app client that may read the organisation and groups but never write them", () => {
    const client = one("AWS::Cognito::UserPoolClient").props;
    expect(client.ReadAttributes).toEqual(expect.arrayContaining(["custom:organisation", "custom:groups"]));
    expect(client.WriteAttributes).toEqual(["email"]);
    expect(client.GenerateSecret).toBe(false);
  });
});

describe("the HTTP API", () => {
  const api = one("AWS::ApiGatewayV2::Api");
  const routes = Object.values(s.ofType("AWS::ApiGatewayV2::Route")).map((r) => r.Properties!);

  it("authorises with a JWT authoriser on the pool's tokens for the dashboard client", () => {
    const authorizer = one("AWS::ApiGatewayV2::Authorizer").props;
    expect(authorizer.AuthorizerType).toBe("JWT");
    expect(JSON.stringify(authorizer.JwtConfiguration)).toContain("https://cognito-idp.");
    const client = one("AWS::Cognito::UserPoolClient");
    expect((authorizer.JwtConfiguration as { Audience: unknown[] }).Audience.map(refId)).toEqual([client.id]);
  });

  it("needs a token on every /api/v1 route but the members' link pages, the OpenAPI document and the calendar feeds", () => {
    expect(routes.every((r) => refId(r.ApiId) === api.id)).toBe(true);
    const byKey = Object.fromEntries(
      routes.map((r) => [r.RouteKey as string, r.AuthorizationType ?? "NONE"]),
    );
    expect(byKey).toEqual({
      "ANY /api/v1/{proxy+}": "JWT",
      ...Object.fromEntries(planningPaths.map((path) => [`ANY ${path}`, "JWT"])),
      "GET /api/v1/unsubscribe": "NONE",
      "POST /api/v1/unsubscribe": "NONE",
      "GET /api/v1/ballot": "NONE",
      "POST /api/v1/ballot": "NONE",
      "GET /api/v1/role-answer": "NONE",
      "POST /api/v1/role-answer": "NONE",
      "GET /api/v1/series-answer": "NONE",
      "POST /api/v1/series-answer": "NONE",
      "GET /api/v1/rsvp-answer": "NONE",
      "POST /api/v1/rsvp-answer": "NONE",
      "GET /api/v1/openapi.json": "NONE",
      "GET /api/v1/feeds/{proxy+}": "NONE",
    });
  });

  const functionNamed = (name: string) =>
    Object.entries(s.ofType("AWS::Lambda::Function")).find(([, f]) => f.Properties!.FunctionName === name)!;
  const integrated = (routeKey: string) => {
    const route = routes.find((r) => r.RouteKey === routeKey)!;
    const integrationId = (route.Target as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1]
      .map(refId)
      .at(-1);
    return refId(s.ofType("AWS::ApiGatewayV2::Integration")[integrationId!]!.Properties!.IntegrationUri);
  };

  it("sends every route to the API function, but roles, leadership, training, series, RSVPs and their privacy to the planning-api function; both verify tokens against the same pool and client", () => {
    const api = functionNamed("convene-dev-api");
    const series = functionNamed("convene-dev-planning-api");
    const feeds = functionNamed("convene-dev-calendar-feeds");
    const planning =
      /\/(series|roles|role-catalogue|leadership|training|calendar-feed|rsvp-settings|rsvps|rsvp-privacy|rsvp-name-opt-in|attendance\/names)(\/|$)/;
    expect(routes.filter((r) => planning.test(r.RouteKey as string))).toHaveLength(planningPaths.length);
    for (const route of routes) {
      const key = route.RouteKey as string;
      const target = key.startsWith("GET /api/v1/feeds/")
        ? feeds
        : planning.test(key) || / \/api\/v1\/(rsvp|series)-answer$/.test(key)
          ? series
          : api;
      expect(integrated(key), key).toBe(target[0]);
    }
    for (const fn of [api, series]) {
      const env = (fn[1].Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
      expect(refId(env.COGNITO_CLIENT_ID)).toBe(one("AWS::Cognito::UserPoolClient").id);
      expect(env.COGNITO_ISSUER).toEqual(
        (one("AWS::ApiGatewayV2::Authorizer").props.JwtConfiguration as { Issuer: unknown }).Issuer,
      );
      expect(JSON.stringify(env.COGNITO_ISSUER)).toContain("https://cognito-idp.");
    }
  });

  it("lets a member open every link page the apps serve without a token, on the function that serves it", () => {
    // Read from the apps themselves, so a new kind of link cannot be left behind the authoriser.
    const pages = (app: { routes: { method: string; path: string }[] }) =>
      app.routes.map((r) => `${r.method} /api/v1${r.path}`);
    const noPorts = {} as Ports;
    const apiPages = [unsubscribeRoutes, ballotLinkRoutes, roleLinkRoutes].flatMap((links) =>
      pages(links(noPorts)),
    );
    const planningPages = [rsvpLinkRoutes, seriesLinkRoutes].flatMap((links) => pages(links(noPorts)));
    expect(apiPages.length).toBeGreaterThanOrEqual(6);
    expect(planningPages.length).toBeGreaterThanOrEqual(4);
    const authorisation = (key: string) =>
      routes.find((r) => r.RouteKey === key)?.AuthorizationType ?? "NONE";
    for (const key of apiPages) {
      expect(
        routes.some((r) => r.RouteKey === key),
        key,
      ).toBe(true);
      expect(authorisation(key), key).toBe("NONE");
      expect(integrated(key), key).toBe(functionNamed("convene-dev-api")[0]);
    }
    for (const key of planningPages) {
      expect(authorisation(key), key).toBe("NONE");
      expect(integrated(key), key).toBe(functionNamed("convene-dev-planning-api")[0]);
    }
  });

  it("keeps its execute-api endpoint, which is CloudFront's origin for /api/*, and says so explicitly", () => {
    // Disabling it would cut the dashboard off its API: the distribution has no other way in
    // (no custom domain). The decision is written in the template, not left to a default.
    expect(api.props.DisableExecuteApiEndpoint).toBe(false);
    const origins = Object.values(s.ofType("AWS::CloudFront::Distribution")).flatMap(
      (d) => (d.Properties!.DistributionConfig as { Origins: { DomainName: unknown }[] }).Origins,
    );
    expect(
      origins.some((o) => JSON.stringify(o.DomainName).includes(`"${api.id}"`)),
      "CloudFront reaches the API at its execute-api endpoint",
    ).toBe(true);
  });

  it("logs access without addresses or query strings, on a throttled default stage", () => {
    const stage = one("AWS::ApiGatewayV2::Stage").props;
    expect(stage.StageName).toBe("$default");
    const format = (stage.AccessLogSettings as { Format: string }).Format;
    expect(format).toContain("$context.requestId");
    expect(format).not.toMatch(/sourceIp|querystring|\$context\.path/i);
    expect(stage.DefaultRouteSettings).toMatchObject({ ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 });
  });
});
