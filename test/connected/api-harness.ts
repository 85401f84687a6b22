// The /api/v1 application in process, over real DynamoDB Local: a fresh table per harness,
// tokens from a local identity provider, and `app.request` (Hono's in-process fetch) for
// real HTTP semantics without a socket. Shared by the connected API tests.

import { randomBytes, randomUUID } from "node:crypto";
import { DeleteTableCommand } from "@aws-sdk/client-dynamodb";
import { ScanCommand } from "@aws-sdk/lib-dynamodb";
import { expect, inject } from "vitest";
import { portsOf } from "#functions/ports-of.ts";
import { createApi } from "#functions/api/whole-api.ts";
import { calendarFeedRoutes } from "#functions/api/routes/calendar-feed-answers.ts";
import { composeLocalRuntime, type LocalRuntime } from "#infra/local/composition-root.ts";
import { LocalIdentityProvider, type Identity } from "#infra/local/local-identity.ts";
import { newEvent } from "#domain/new-event.ts";
import type { Session } from "#domain/session.ts";
import type { ConveneEvent } from "#events/catalogue.ts";
import type { Log } from "#ports/logger.ts";
import { sessionSnapshot } from "#use-cases/sessions/session-changes.ts";

export interface LogLine {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  fields?: Record<string, unknown>;
}

/** Keeps every log line so a test can prove nothing personal was written. */
export const recordingLog = (): Log & { lines: LogLine[] } => {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine["level"]) =>
    (message: string, fields?: Record<string, unknown>): void => {
      lines.push({ level, message, ...(fields ? { fields } : {}) });
    };
  return { lines, debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") };
};

export interface ApiHarness {
  app: ReturnType<typeof createApi>;
  runtime: LocalRuntime;
  identity: LocalIdentityProvider;
  log: ReturnType<typeof recordingLog>;
  linkSigningSecret: Uint8Array;
  /** Sends a request, with a bearer token when one is given and JSON when `json` is set. */
  call(method: string, path: string, options?: CallOptions): Promise<Response>;
  /** A token for the identity, valid for an hour. */
  token(identity: Identity): Promise<string>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string;
  /** Serialised as JSON with content-type application/json. */
  json?: unknown;
  /** Sent as is; set the content-type in headers. */
  body?: string;
  headers?: Record<string, string>;
}

export const startApiHarness = async (): Promise<ApiHarness> => {
  const log = recordingLog();
  const linkSigningSecret = new Uint8Array(randomBytes(32));
  const tableName = `api-${randomUUID()}`;
  const runtime = await composeLocalRuntime({
    endpoints: { dynamo: inject("dynamoEndpoint"), ses: inject("sesEndpoint"), sms: inject("smsEndpoint") },
    tableName,
    settings: {
      publicBaseUrl: "http://127.0.0.1",
      replyDomain: "reply.convene.test",
      fromAddress: "Convene <r@convene.localhost>",
      linkSigningSecret,
    },
    log,
  });
  const identity = await LocalIdentityProvider.create();
  const app = createApi(
    runtime.ports,
    identity.verify,
    calendarFeedRoutes(portsOf(runtime.ports, "calendar-feeds")),
  );

  const call = async (method: string, path: string, options: CallOptions = {}): Promise<Response> => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.body;
    if (options.json !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(options.json);
    }
    return app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
  };

  return {
    app,
    runtime,
    identity,
    log,
    linkSigningSecret,
    call,
    token: (who) => identity.mint(who, 3600),
    close: async () => {
      await runtime.dynamo.send(new DeleteTableCommand({ TableName: tableName }));
      runtime.dynamo.destroy();
    },
  };
};

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** Asserts an RFC 9457 problem with the status, and returns its body. */
export const expectProblem = async (response: Response, status: number): Promise<ProblemBody> => {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/problem\+json\b/);
  const body = JSON.parse(text) as ProblemBody;
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  expect(body.status).toBe(status);
  return body;
};

/** Asserts a 400 validation problem whose errors name `field`, and returns its body. */
export const expectFieldProblem = async (response: Response, field: string): Promise<ProblemBody> => {
  const body = await expectProblem(response, 400);
  expect(
    body.errors?.map((e) => e.field),
    JSON.stringify(body),
  ).toContain(field);
  return body;
};

/** Reads a JSON answer after checking its status. */
export const expectJson = async <T>(response: Response, status: number): Promise<T> => {
  const text = await response.text();
  expect(response.status, text).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json\b/);
  return JSON.parse(text) as T;
};

/** Ids of a small organisation built through the API. */
export interface Directory {
  organisationId: string;
  groupId: string;
  memberId: string;
  adminToken: string;
}

export interface OrganisationView {
  id: string;
  name: string;
}
export interface GroupView {
  id: string;
  name: string;
  timeZone: string;
}
export interface MemberView {
  id: string;
  name: string;
  email: string;
  phone?: string;
  reminders: { channel: string; offsetMinutes: number }[];
  unsubscribed: string[];
}
export interface SessionView {
  id: string;
  version: number;
  status: string;
  startLocal: string;
  startsAt: string;
  durationMinutes: number;
  attendance?: { headcount: number; recordedAt: string };
}

/** Creates an organisation (as a platform admin), a group and a member of it, via the API. */
export const buildDirectory = async (
  h: ApiHarness,
  names: { organisation: string; group: string; member: string; email: string },
): Promise<Directory> => {
  const platform = await h.token({ subject: "platform-1", role: "platform-admin" });
  const organisation = await expectJson<OrganisationView>(
    await h.call("POST", "/api/v1/organisations", { token: platform, json: { name: names.organisation } }),
    201,
  );
  const adminToken = await h.token({
    subject: `admin-of-${organisation.id}`,
    role: "umbrella-admin",
    organisationId: organisation.id,
  });
  const group = await expectJson<GroupView>(
    await h.call("POST", `/api/v1/organisations/${organisation.id}/groups`, {
      token: adminToken,
      json: { name: names.group, timeZone: "Europe/London" },
    }),
    201,
  );
  const member = await expectJson<MemberView>(
    await h.call("POST", `/api/v1/organisations/${organisation.id}/members`, {
      token: adminToken,
      json: { name: names.member, email: names.email },
    }),
    201,
  );
  const joined = await h.call(
    "PUT",
    `/api/v1/organisations/${organisation.id}/groups/${group.id}/members/${member.id}`,
    { token: adminToken },
  );
  expect(joined.status).toBe(204);
  return { organisationId: organisation.id, groupId: group.id, memberId: member.id, adminToken };
};

/** Another group of the directory's organisation, made by its umbrella admin; answers its id. */
export const addGroup = async (h: ApiHarness, d: Directory, name: string, timeZone = "Europe/London") => {
  const group = await expectJson<GroupView>(
    await h.call("POST", `/api/v1/organisations/${d.organisationId}/groups`, {
      token: d.adminToken,
      json: { name, timeZone },
    }),
    201,
  );
  return group.id;
};

/** A local start `days` from now in the zone, written YYYY-MM-DDTHH:mm at 19:00. */
export const localStartInDays = (days: number): string => {
  const date = new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
  return `${date}T19:00`;
};

export interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, JsonSchema>; securitySchemes: Record<string, unknown> };
  security?: Record<string, string[]>[];
}
export interface OpenApiOperation {
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema: JsonSchema }[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  security?: Record<string, string[]>[];
}
export type JsonSchema = Record<string, unknown>;

export interface DocumentedRoute {
  method: string;
  /** As in the document, e.g. /api/v1/organisations/{organisationId}. */
  path: string;
  /** The component name of the JSON body's schema, if the route takes one. */
  body?: string;
  /** Needs no bearer token (`security: []`): the calendar feeds. */
  public?: true;
}

export const readOpenApiDocument = async (h: ApiHarness): Promise<OpenApiDocument> =>
  expectJson<OpenApiDocument>(await h.call("GET", "/api/v1/openapi.json"), 200);

export const documentedRoutes = (doc: OpenApiDocument): DocumentedRoute[] =>
  Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const ref = operation.requestBody?.content["application/json"]?.schema.$ref;
      return {
        method: method.toUpperCase(),
        path,
        ...(typeof ref === "string" ? { body: ref.replace("#/components/schemas/", "") } : {}),
        ...(operation.security?.length === 0 ? { public: true as const } : {}),
      };
    }),
  );

/** Roles a group can take up, one after another: each sample GroupRoleInput is a new one. */
const groupRoleSamples = ["co-facilitator", "reminders", "welfare-and-safety", "signposting", "treasurer"];
let samplesTaken = 0;
let sampleMembers = 0;

/**
 * A valid body for each request schema, naming the member in `ids` where the body needs one;
 * a new schema without a sample fails the tests that use it.
 */
export const sampleBody = (schema: string, ids: Record<string, string> = {}): Record<string, unknown> => {
  const memberId = ids.memberId ?? "no-member";
  const samples: Record<string, Record<string, unknown>> = {
    // Getters: a counter moves only when its own schema is asked for, not on every sample.
    get RoleDefinitionInput() {
      return { id: `sample-role-${++samplesTaken}`, name: "Sample role", pay: "voluntary" };
    },
    get GroupRoleInput() {
      return { roleId: groupRoleSamples[samplesTaken++ % groupRoleSamples.length] };
    },
    HolderInput: { memberId },
    VolunteerInput: { memberId },
    AppointmentInput: { memberId },
    LeadershipInput: { leadershipModel: "collective" },
    TrainingInput: { trainingId: "first-aid", completedAt: new Date(Date.now() - 86_400_000).toISOString() },
    OrganisationInput: { name: "Sample Network" },
    OrganisationPatch: { textsNameGroups: false },
    GroupInput: { name: "Sample Group", timeZone: "Europe/London" },
    // An address is one member's in an organisation: each sample member has their own.
    MemberInput: { name: "Sam Sample", email: `sam.sample.${++sampleMembers}@example.org` },
    MemberPatch: { name: "Sam Renamed" },
    SessionInput: { title: "Sample session", startLocal: localStartInDays(7) },
    RescheduleInput: { startLocal: localStartInDays(8) },
    CancelInput: { reason: "Sample reason" },
    AttendanceInput: { headcount: 7 },
    AttendanceNamesInput: { memberIds: [memberId] },
    // Weekly on the start's own weekday: on the rule whatever day the test runs.
    SeriesInput: { title: "Sample series", startLocal: localStartInDays(7), rrule: "FREQ=WEEKLY" },
    EndSeriesInput: { reason: "Sample reason" },
    EditSeriesInput: { scope: "all", changes: { title: "Renamed series" } },
    GroupFeedInput: { published: true, neutralTitle: "Group meeting" },
    RsvpSettingsInput: { asked: true, capacity: 12, reserved: 2 },
    RsvpPrivacyInput: { names: "counts", attendance: "named", retentionMonths: 6 },
    SmsConsentInput: { state: "withdrawn", wordingVersion: "v1" },
    VoteInput: {
      question: "Shall we meet fortnightly?",
      kind: "proposal",
      closesAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    },
  };
  const sample = samples[schema];
  if (!sample) throw new Error(`no sample body for the request schema ${schema}`);
  return sample;
};

/**
 * A session of the group that started yesterday, written through the store as if it had been
 * scheduled last week (the API schedules only sessions still to come).
 */
export const heldSessionIn = async (
  h: ApiHarness,
  organisationId: string,
  groupId: string,
): Promise<string> => {
  const { store } = h.runtime.ports;
  const group = await store.getGroup(organisationId, groupId);
  if (!group) throw new Error("no such group");
  const yesterday = new Date(Date.now() - 86_400_000).toLocaleString("sv-SE", { timeZone: group.timeZone });
  const at = new Date();
  const session: Session = {
    organisationId,
    groupId,
    id: randomUUID(),
    version: 1,
    title: "Last night's meeting",
    startLocal: yesterday.slice(0, 16).replace(" ", "T"),
    timeZone: group.timeZone,
    durationMinutes: 90,
    duties: [],
    status: "scheduled",
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
  };
  await store.scheduleSession(
    session,
    newEvent("SessionScheduled", { organisationId, groupId }, { session: sessionSnapshot(session) }, at),
  );
  return session.id;
};

/**
 * Every event an organisation's writes put in the outbox, read by a consistent scan of the
 * table. In no order of time: the outbox's keys are event ids.
 */
export const outboxEvents = async (h: ApiHarness, organisationId: string): Promise<ConveneEvent[]> => {
  const { store } = h.runtime;
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await store.doc.send(
      new ScanCommand({ TableName: store.tableName, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items
    .filter((i) => i.kind === "outbox" && String(i.PK).startsWith(`ORG#${organisationId}#`))
    .map((i) => JSON.parse(String(i.detail)) as ConveneEvent);
};

/** The path with each {param} replaced by the id given for it. */
export const fillPath = (path: string, ids: Record<string, string>): string =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`no id for {${name}} in ${path}`);
    return encodeURIComponent(id);
  });
