import { describe, expect, it } from "vitest";
import { calendarFeedDefinitions, calendarFeedPaths } from "#functions/api/routes/calendar-feeds.ts";
import { calendarFeedSettingsPaths } from "#functions/api/routes/calendar-feed-settings.ts";
import { planningPaths } from "#functions/api/planning-paths.ts";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { conveneFunctions, refId, statementsOfRole, synth } from "./synth.ts";

// The calendar feeds have a function of their own (the API function is at its bundle budget):
// an HTTP API route without the authoriser (calendar apps send no token), read-only access to
// the table, and nothing else. Their settings and members' tokens are kept by planning-api.

const s = synth();
const [feedsId, feeds] = conveneFunctions(s).find(
  ([, f]) => f.Properties!.FunctionName === "convene-dev-calendar-feeds",
)!;
const statements = statementsOfRole(s, refId(feeds.Properties!.Role)!);
const routes = Object.values(s.ofType("AWS::ApiGatewayV2::Route")).map((r) => r.Properties!);
const integrationOf = (routeKey: string) => {
  const route = routes.find((r) => r.RouteKey === routeKey)!;
  const id = (route.Target as { "Fn::Join": [string, unknown[]] })["Fn::Join"][1].map(refId).at(-1)!;
  return refId(s.ofType("AWS::ApiGatewayV2::Integration")[id]!.Properties!.IntegrationUri);
};

describe("the calendar-feeds function", () => {
  it("serves GET /api/v1/feeds/{proxy+} without the authoriser, and no other route", () => {
    expect(calendarFeedPaths).toEqual(["/api/v1/feeds/{proxy+}"]);
    const route = routes.find((r) => r.RouteKey === "GET /api/v1/feeds/{proxy+}")!;
    expect(route.AuthorizationType ?? "NONE").toBe("NONE");
    expect(integrationOf("GET /api/v1/feeds/{proxy+}")).toBe(feedsId);
    const served = routes.filter((r) => integrationOf(r.RouteKey as string) === feedsId);
    expect(served.map((r) => r.RouteKey)).toEqual(["GET /api/v1/feeds/{proxy+}"]);
    // Every documented feed is under that route.
    for (const definition of calendarFeedDefinitions) expect(definition.path).toMatch(/^\/feeds\/.+/);
  });

  it("may only read the table (GetItem and Query, the index for a member's groups), and has no other grant but its logs", () => {
    const actions = [...new Set(statements.flatMap((st) => st.Action))].sort();
    expect(actions.filter((action) => !action.startsWith("logs:"))).toEqual([
      "dynamodb:GetItem",
      "dynamodb:Query",
    ]);
    expect(actions.filter((action) => action.startsWith("logs:"))).toEqual([
      "logs:CreateLogStream",
      "logs:PutLogEvents",
    ]);
    expect(actions.filter((action) => action.startsWith("dynamodb:"))).toEqual(
      [...tableAccess["calendar-feeds"]!.actions].sort(),
    );
    expect(JSON.stringify(statements)).toContain("/index/GSI1");
  });

  it("is given the table's name and nothing else: no token verifier, no link secret", () => {
    const variables = Object.keys((feeds.Properties!.Environment as { Variables: object }).Variables)
      .filter((name) => !name.startsWith("POWERTOOLS_") && name !== "NODE_OPTIONS")
      .sort();
    expect(variables).toEqual(["TABLE_NAME"]);
    expect(feeds.Properties!.Timeout).toBe(10);
  });
});

describe("the feeds' settings and members' tokens", () => {
  it("are routes of the planning-api function, behind the authoriser", () => {
    const [planningId] = conveneFunctions(s).find(
      ([, f]) => f.Properties!.FunctionName === "convene-dev-planning-api",
    )!;
    expect(planningPaths).toEqual(expect.arrayContaining(calendarFeedSettingsPaths));
    for (const path of calendarFeedSettingsPaths) {
      const route = routes.find((r) => r.RouteKey === `ANY ${path}`)!;
      expect(route.AuthorizationType).toBe("JWT");
      expect(integrationOf(`ANY ${path}`)).toBe(planningId);
    }
  });
});
