import { describe, expect, it } from "vitest";
import { environmentVariableNames } from "#functions/composition-root.ts";
import { functionEntries } from "#infra/cdk/function-entries.ts";
import { sendingLeaseVariable, sendsMessages } from "#infra/cdk/sending-lease.ts";
import { tableAccess } from "#infra/cdk/table-access.ts";
import { inboundMailVariables } from "#functions/receive-reply/ses-receipt.ts";
import { conveneFunctions, functionNamesById, refId, statementsOfRole, synth } from "./synth.ts";

const s = synth();
const functions = conveneFunctions(s);
const byName = (name: string) => {
  const found = functions.find(([, f]) => f.Properties!.FunctionName === `convene-dev-${name}`);
  if (!found) throw new Error(`no function ${name}`);
  return { id: found[0], props: found[1].Properties! };
};
const actionsOf = (name: string) => {
  const roleId = refId(byName(name).props.Role)!;
  return statementsOfRole(s, roleId);
};
const powertools = [
  "NODE_OPTIONS",
  "POWERTOOLS_SERVICE_NAME",
  "POWERTOOLS_LOG_LEVEL",
  "POWERTOOLS_LOGGER_LOG_EVENT",
];

describe("every function", () => {
  it("is one of functionEntries(), one per routing target plus the API and the outbox relay", () => {
    expect(Object.values(functionNamesById(s)).sort()).toEqual(
      functionEntries()
        .map((e) => `convene-dev-${e.name}`)
        .sort(),
    );
  });

  it("carries the house defaults: Node.js 24 on arm64, an ES module bundle, Powertools, its own log group", () => {
    expect(functions).toHaveLength(functionEntries().length);
    for (const [, fn] of functions) {
      expect(fn.Properties).toMatchObject({
        Runtime: "nodejs24.x",
        Architectures: ["arm64"],
        Handler: "index.handler",
        Environment: {
          Variables: {
            NODE_OPTIONS: "--enable-source-maps",
            POWERTOOLS_LOG_LEVEL: "INFO",
            POWERTOOLS_LOGGER_LOG_EVENT: "false",
            POWERTOOLS_SERVICE_NAME: fn.Properties!.FunctionName,
          },
        },
      });
      const logGroup =
        s.ofType("AWS::Logs::LogGroup")[
          refId((fn.Properties!.LoggingConfig as { LogGroup: unknown }).LogGroup)!
        ];
      expect(logGroup?.Properties).toMatchObject({
        LogGroupName: `/aws/lambda/${String(fn.Properties!.FunctionName)}`,
        RetentionInDays: 30,
      });
    }
  });

  it("gets exactly the environment its needs read in the Lambda composition root", () => {
    for (const entry of functionEntries()) {
      const variables = Object.keys(
        (byName(entry.name).props.Environment as { Variables: object }).Variables,
      );
      const expected = [
        ...environmentVariableNames(entry.needs).filter(
          (v) => v !== "SMS_ORIGINATION_IDENTITY" && v !== sendingLeaseVariable,
        ),
        // Read by its entry itself, not (yet) by the composition root: where SES stored the mail.
        ...(entry.name === "receive-reply" ? inboundMailVariables : []),
        // Every function that sends gets its sending lease (infra/cdk/sending-lease.ts).
        ...(sendsMessages(entry.needs) ? [sendingLeaseVariable] : []),
      ];
      expect(variables.filter((v) => !powertools.includes(v)).sort(), entry.name).toEqual(expected.sort());
    }
  });

  it("has a role that starts with nothing: no managed policies", () => {
    for (const [, role] of Object.entries(s.ofType("AWS::IAM::Role")))
      expect(role.Properties!.ManagedPolicyArns).toBeUndefined();
  });
});

describe("least privilege, function by function", () => {
  const tableActions = (name: string) =>
    actionsOf(name)
      .filter((st) => st.Action.some((a) => a.startsWith("dynamodb:")))
      .flatMap((st) => st.Action)
      .sort();

  it("grants each function the table actions its use of the store needs, and no more", () => {
    for (const entry of functionEntries()) {
      const access = tableAccess[entry.name];
      const expected = access
        ? [...access.actions, ...(access.queriesIndex ? ["dynamodb:Query"] : [])].sort()
        : [];
      expect(tableActions(entry.name), entry.name).toEqual(expected);
    }
  });

  it("lets every function that sends claim, give back and mark its messages sent (deliverOnce)", () => {
    const senders = functionEntries().filter((entry) => sendsMessages(entry.needs));
    expect(senders.length).toBeGreaterThan(10);
    for (const entry of senders)
      expect(tableActions(entry.name), entry.name).toEqual(
        expect.arrayContaining(["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem"]),
      );
  });

  it("lets only the functions whose store use queries the index query it, and only GSI1", () => {
    for (const entry of functionEntries()) {
      const onIndex = actionsOf(entry.name).filter((st) => JSON.stringify(st.Resource).includes("/index/"));
      expect(onIndex.length > 0, entry.name).toBe(tableAccess[entry.name]?.queriesIndex ?? false);
      for (const st of onIndex) {
        expect(st.Action).toEqual(["dynamodb:Query"]);
        expect(JSON.stringify(st.Resource)).toMatch(/\/index\/GSI1"/);
      }
    }
  });

  it("lets only functions given the scheduler create schedules, in the reminders group, passing only the scheduler's role", () => {
    const schedulerRole = Object.entries(s.ofType("AWS::IAM::Role")).find(([, r]) =>
      JSON.stringify(r.Properties!.AssumeRolePolicyDocument).includes("scheduler.amazonaws.com"),
    )![0];
    expect(functionEntries().some((e) => e.needs.includes("scheduler"))).toBe(true);
    for (const entry of functionEntries()) {
      const scheduling = actionsOf(entry.name).filter((st) =>
        st.Action.some((a) => a.startsWith("scheduler:") || a === "iam:PassRole"),
      );
      if (!entry.needs.includes("scheduler")) {
        expect(scheduling, entry.name).toEqual([]);
        continue;
      }
      const create = scheduling.find((st) => st.Action.includes("scheduler:CreateSchedule"))!;
      expect(create.Action).toEqual(["scheduler:CreateSchedule"]);
      expect(JSON.stringify(create.Resource)).toContain(":schedule/convene-dev-reminders/*");
      const pass = scheduling.find((st) => st.Action.includes("iam:PassRole"))!;
      expect(pass.Condition).toEqual({ StringEquals: { "iam:PassedToService": "scheduler.amazonaws.com" } });
      expect(refId(pass.Resource)).toBe(schedulerRole);
    }
  });

  it("lets only functions given the mailer send email (through the identity and configuration set, from the configured address)", () => {
    for (const entry of functionEntries()) {
      const email = actionsOf(entry.name).filter((st) => st.Action.some((a) => a.startsWith("ses:")));
      if (!entry.needs.includes("mailer")) {
        expect(email, entry.name).toEqual([]);
        continue;
      }
      expect(email).toHaveLength(1);
      expect(email[0]!.Action).toEqual(["ses:SendEmail"]);
      expect(JSON.stringify(email[0]!.Resource)).toContain(":identity/convene.example.org");
      expect(JSON.stringify(email[0]!.Resource)).toContain(":configuration-set/convene-dev-mail");
      expect(email[0]!.Condition).toEqual({
        StringEquals: { "ses:FromAddress": "reminders@convene.example.org" },
      });
    }
  });

  it("lets only functions given SMS send text messages, with Convene's configuration set", () => {
    for (const entry of functionEntries()) {
      const sms = actionsOf(entry.name).filter((st) => st.Action.some((a) => a.startsWith("sms-voice:")));
      if (!entry.needs.includes("sms")) {
        expect(sms, entry.name).toEqual([]);
        continue;
      }
      expect(sms).toHaveLength(1);
      expect(sms[0]!.Action).toEqual(["sms-voice:SendTextMessage"]);
      expect(JSON.stringify(sms[0]!.Resource)).toContain(":configuration-set/convene-dev-sms");
    }
  });

  it("scopes SMS to the origination identity once its ARN is configured", () => {
    const phone = "arn:aws:sms-voice:eu-west-2:123456789012:phone-number/phone-abc";
    const scoped = synth({ smsOriginationIdentity: phone });
    const fn = Object.values(scoped.ofType("AWS::Lambda::Function")).find(
      (f) => f.Properties!.FunctionName === "convene-dev-send-session-reminders",
    )!;
    const sms = statementsOfRole(scoped, refId(fn.Properties!.Role)!).find((st) =>
      st.Action.includes("sms-voice:SendTextMessage"),
    )!;
    expect(JSON.stringify(sms.Resource)).toContain(phone);
    expect(JSON.stringify(sms.Resource)).not.toContain("phone-number/*");
    expect(
      (fn.Properties!.Environment as { Variables: Record<string, string> }).Variables
        .SMS_ORIGINATION_IDENTITY,
    ).toBe(phone);
  });

  it("lets only the functions that sign links read the link secret", () => {
    for (const entry of functionEntries()) {
      const reads = actionsOf(entry.name).filter((st) =>
        st.Action.some((a) => a.startsWith("secretsmanager:")),
      );
      expect(reads.length > 0, entry.name).toBe(entry.needs.includes("settings"));
      for (const st of reads) expect(st.Action).toEqual(["secretsmanager:GetSecretValue"]);
    }
  });

  it("bounds the session senders' concurrency, to protect SES's sending rate", () => {
    // The reminders' by their queue's event source mapping (test/infra/send-queue.test.ts),
    // which a reservation would only throttle; the change notices' by a reservation.
    const reminders = byName("send-session-reminders");
    expect(reminders.props.ReservedConcurrentExecutions).toBeUndefined();
    const mappings = Object.entries(s.ofType("AWS::Lambda::EventSourceMapping")).filter(
      ([, m]) => refId(m.Properties!.FunctionName) === reminders.id,
    );
    expect(mappings.map(([, m]) => m.Properties!.ScalingConfig)).toEqual([{ MaximumConcurrency: 2 }]);
    expect(byName("notify-session-change").props.ReservedConcurrentExecutions).toBe(2);
    expect(byName("plan-session-reminders").props.ReservedConcurrentExecutions).toBeUndefined();
    const unreserved = synth({ senderConcurrency: 0 });
    for (const f of Object.values(unreserved.ofType("AWS::Lambda::Function")))
      expect(f.Properties!.ReservedConcurrentExecutions).toBeUndefined();
  });
});
