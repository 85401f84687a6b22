import { describe, expect, it } from "vitest";
import { recurringJobs } from "#functions/recurring-jobs.ts";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { conveneFunctions, refId, routedFunction, statementsOfRole, synth } from "./synth.ts";

// A series' sessions are made 13 weeks ahead by extend-series-windows: on its series' events
// (one rule on the bus) and once a day (an EventBridge Scheduler schedule invoking it with its
// job's name). Its operations under /api/v1 have a function of their own, planning-api.

const s = synth();
const windows = routedFunction(s, "convene-dev-extend-series-windows");
const schedules = Object.entries(s.ofType("AWS::Scheduler::Schedule"));
const windowsSchedule = () =>
  schedules.find(([, sc]) => sc.Properties!.Name === "convene-dev-extend-due-series-windows")![1];
const variablesOf = (fn: typeof windows.fn) =>
  Object.keys((fn.Properties!.Environment as { Variables: object }).Variables)
    .filter((name) => !name.startsWith("POWERTOOLS_") && name !== "NODE_OPTIONS")
    .sort();
const tableActions = (statements: typeof windows.statements) =>
  statements.flatMap((st) => st.Action).filter((action) => action.startsWith("dynamodb:"));

describe("the extend-series-windows function", () => {
  it("has one rule on Convene's bus, for a series made, changed or ended", () => {
    expect(windows.pattern.source).toEqual(["convene"]);
    expect([...windows.pattern["detail-type"]].sort()).toEqual([
      "SeriesChanged",
      "SeriesCreated",
      "SeriesEnded",
    ]);
  });

  it("is run every day at 03:15 UTC by a schedule that invokes it with the job's name", () => {
    expect(recurringJobs.map((job) => job.target)).toEqual([
      "extend-series-windows",
      "ask-series-confirmation",
    ]);
    expect(schedules).toHaveLength(recurringJobs.length);
    const schedule = windowsSchedule().Properties!;
    expect(schedule).toMatchObject({
      Name: "convene-dev-extend-due-series-windows",
      ScheduleExpression: "cron(15 3 * * ? *)",
      ScheduleExpressionTimezone: "Etc/UTC",
      State: "ENABLED",
      // The reminders' group: its alarm on events Scheduler gave up on covers this schedule too.
      GroupName: "convene-dev-reminders",
      FlexibleTimeWindow: { Mode: "OFF" },
    });
    const target = schedule.Target as Record<string, unknown>;
    expect(refId(target.Arn)).toBe(windows.id);
    expect(JSON.parse(target.Input as string)).toEqual({ job: "extend-due-series-windows" });
    expect(target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 86_400, MaximumRetryAttempts: 185 });
    const deadLetters = refId((target.DeadLetterConfig as { Arn: unknown }).Arn)!;
    expect(s.ofType("AWS::SQS::Queue")[deadLetters]!.Properties!.QueueName).toBe("convene-dev-schedules-dlq");
  });

  it("is invoked by a role that may invoke the recurring jobs' functions and write to the dead-letter queue, and nothing else", () => {
    const target = windowsSchedule().Properties!.Target as { RoleArn: unknown };
    const role = s.ofType("AWS::IAM::Role")[refId(target.RoleArn)!]!;
    expect(JSON.stringify(role.Properties!.AssumeRolePolicyDocument)).toContain("scheduler.amazonaws.com");
    const statements = statementsOfRole(s, refId(target.RoleArn)!);
    const actions = statements.flatMap((st) => st.Action).sort();
    // One invoke statement per recurring job's function (the schedules share the role).
    expect(actions).toEqual([...recurringJobs.map(() => "lambda:InvokeFunction"), "sqs:SendMessage"]);
    const jobFunctions = recurringJobs.map((job) => routedFunction(s, `convene-dev-${job.target}`).id);
    const invokes = statements.filter((st) => st.Action.includes("lambda:InvokeFunction"));
    const named = invokes.map((st) =>
      jobFunctions.filter((id) =>
        ([] as unknown[]).concat(st.Resource).every((r) => JSON.stringify(r).includes(id)),
      ),
    );
    expect(named.map((ids) => ids.length)).toEqual(invokes.map(() => 1));
    expect(named.flat()).toContain(windows.id);
  });

  it("has the table actions table-access.ts names, the due index, time for the daily run, and no mailer or scheduler", () => {
    expect([...new Set(tableActions(windows.statements))].sort()).toEqual(
      [...tableAccess["extend-series-windows"]!.actions].sort(),
    );
    expect(JSON.stringify(windows.statements)).toContain("/index/GSI1");
    const actions = windows.statements.flatMap((st) => st.Action);
    expect(actions.some((action) => action.startsWith("ses:") || action.startsWith("scheduler:"))).toBe(
      false,
    );
    expect(variablesOf(windows.fn)).toEqual(["TABLE_NAME"]);
    expect(windows.fn.Properties!.Timeout).toBe(300);
  });
});

describe("the planning-api function", () => {
  const [id, fn] = conveneFunctions(s).find(
    ([, f]) => f.Properties!.FunctionName === "convene-dev-planning-api",
  )!;
  const statements = statementsOfRole(s, refId(fn.Properties!.Role)!);

  it("reads and writes the table as table-access.ts says (the roles' writes too: it serves their routes)", () => {
    const actions = tableActions(statements);
    expect([...new Set(actions)].sort()).toEqual([...tableAccess["planning-api"]!.actions].sort());
  });

  it("is given the table, the token verifier's settings and, for the members' RSVP and series links it serves, the link settings", () => {
    expect(variablesOf(fn)).toEqual([
      "COGNITO_CLIENT_ID",
      "COGNITO_ISSUER",
      "FROM_ADDRESS",
      "LINK_SECRET_PARAMETER",
      "PUBLIC_BASE_URL",
      "REPLY_DOMAIN",
      "SERIES_STALE_AFTER_MONTHS",
      "TABLE_NAME",
    ]);
    expect(id).toBeTruthy();
  });
});
