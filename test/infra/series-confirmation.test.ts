import { describe, expect, it } from "vitest";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { conveneFunctions, refId, routedFunction, statementsOfRole, synth } from "./synth.ts";

// "Still meeting?": ask-series-confirmation records the asks once a day (an EventBridge
// Scheduler schedule invoking it with its job's name) and, on the asks' and answers' events
// (one rule on the bus), emails the coordinators. The replies reach receive-reply; the links,
// the API function.

const s = synth();
const asking = routedFunction(s, "convene-dev-ask-series-confirmation");
const schedule = Object.values(s.ofType("AWS::Scheduler::Schedule")).find(
  (sc) => sc.Properties!.Name === "convene-dev-ask-stale-series",
)!;
const tableActions = (statements: typeof asking.statements) =>
  statements.flatMap((st) => st.Action).filter((action) => action.startsWith("dynamodb:"));
const functionNamed = (name: string) => {
  const [, fn] = conveneFunctions(s).find(([, f]) => f.Properties!.FunctionName === name)!;
  return { fn, statements: statementsOfRole(s, refId(fn.Properties!.Role)!) };
};

describe("the ask-series-confirmation function", () => {
  it("has one rule on Convene's bus, for an ask made and an answer given", () => {
    expect(asking.pattern.source).toEqual(["convene"]);
    expect([...asking.pattern["detail-type"]].sort()).toEqual([
      "SeriesConfirmationAnswered",
      "SeriesConfirmationAsked",
    ]);
  });

  it("is run every day at 09:00 UTC by a schedule that invokes it with the job's name, retried and dead-lettered", () => {
    expect(schedule).toBeDefined();
    const properties = schedule.Properties!;
    expect(properties).toMatchObject({
      ScheduleExpression: "cron(0 9 * * ? *)",
      ScheduleExpressionTimezone: "Etc/UTC",
      State: "ENABLED",
      FlexibleTimeWindow: { Mode: "OFF" },
    });
    const target = properties.Target as Record<string, unknown>;
    expect(refId(target.Arn)).toBe(asking.id);
    expect(JSON.parse(target.Input as string)).toEqual({ job: "ask-stale-series" });
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    const deadLetters = refId((target.DeadLetterConfig as { Arn: unknown }).Arn)!;
    expect(s.ofType("AWS::SQS::Queue")[deadLetters]!.Properties!.QueueName).toBe("convene-dev-schedules-dlq");
    // The schedules' shared role (test/infra/series.test.ts) may invoke this function.
    const role = refId((target as { RoleArn: unknown }).RoleArn)!;
    const invokes = statementsOfRole(s, role).filter((st) => st.Action.includes("lambda:InvokeFunction"));
    expect(
      invokes.some((st) =>
        ([] as unknown[]).concat(st.Resource).every((r) => JSON.stringify(r).includes(asking.id)),
      ),
    ).toBe(true);
  });

  it("has the table actions table-access.ts names, the due index, and may send email but schedules nothing", () => {
    expect([...new Set(tableActions(asking.statements))].sort()).toEqual(
      [...tableAccess["ask-series-confirmation"]!.actions].sort(),
    );
    expect(JSON.stringify(asking.statements)).toContain("/index/GSI1");
    const actions = asking.statements.flatMap((st) => st.Action);
    expect(actions).toContain("ses:SendEmail");
    expect(actions.some((action) => action.startsWith("scheduler:"))).toBe(false);
    expect(asking.fn.Properties!.Timeout).toBe(75);
  });
});

describe("the answers' other ways in", () => {
  it("receive-reply may record a confirmation (UpdateItem), as table-access.ts says", () => {
    const { statements } = functionNamed("convene-dev-receive-reply");
    expect([...new Set(tableActions(statements))].sort()).toEqual(
      [...tableAccess["receive-reply"]!.actions].sort(),
    );
    expect(tableActions(statements)).toContain("dynamodb:UpdateItem");
  });

  it("track-group-health reads the series for the overview", () => {
    const health = routedFunction(s, "convene-dev-track-group-health");
    expect(health.pattern["detail-type"]).toEqual(
      expect.arrayContaining(["SeriesConfirmationAsked", "SeriesConfirmationAnswered", "SeriesEnded"]),
    );
  });
});

describe("the staleness period", () => {
  const variable = (stack: ReturnType<typeof synth>) =>
    (
      routedFunction(stack, "convene-dev-ask-series-confirmation").fn.Properties!.Environment as {
        Variables: Record<string, unknown>;
      }
    ).Variables.SERIES_STALE_AFTER_MONTHS;

  it("is the functions' default (6 months) unless the context sets it", () => {
    expect(variable(s)).toBe("6");
    expect(variable(synth({ seriesStaleAfterMonths: "3" }))).toBe("3");
  });

  it("refuses a period that is not a whole number of months from 1 to 120", () => {
    expect(() => synth({ seriesStaleAfterMonths: "0" })).toThrow(/seriesStaleAfterMonths/);
    expect(() => synth({ seriesStaleAfterMonths: "2.5" })).toThrow(/seriesStaleAfterMonths/);
  });
});
