// GET /organisations/{id} answers what the OpenAPI schema declares and nothing more, and the
// addresses the umbrella admins are alerted at only to an umbrella admin. PATCH sets whether
// texts name groups, for the organisation's umbrella admins alone, and texts follow it.

import { randomInt } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sessionMessageSender } from "#delivery/session-message-sender.ts";
import { readSmsSink } from "#infra/local/emulators/sms-sink.ts";
import { createMember } from "#use-cases/directory/manage-directory.ts";
import { scheduleSession } from "#use-cases/sessions/session-changes.ts";
import {
  expectJson,
  readOpenApiDocument,
  startApiHarness,
  type ApiHarness,
  type GroupView,
  type OpenApiDocument,
  type OrganisationView,
} from "./api-harness.ts";

const alertEmails = ["alerts.one@example.org", "alerts.two@example.org"];

let h: ApiHarness;
let doc: OpenApiDocument;
let organisationId: string;
let adminToken: string;
let coordinatorToken: string;
let groupId: string;

beforeAll(async () => {
  h = await startApiHarness();
  doc = await readOpenApiDocument(h);
  const platform = await h.token({ subject: "platform-1", role: "platform-admin" });
  const created = await expectJson<OrganisationView>(
    await h.call("POST", "/api/v1/organisations", {
      token: platform,
      json: { name: "Alertham Network", alertEmails },
    }),
    201,
  );
  organisationId = created.id;
  adminToken = await h.token({ subject: "admin-1", role: "umbrella-admin", organisationId });
  const group = await expectJson<GroupView>(
    await h.call("POST", `/api/v1/organisations/${organisationId}/groups`, {
      token: adminToken,
      json: { name: "Alertham Circle", timeZone: "Europe/London" },
    }),
    201,
  );
  groupId = group.id;
  coordinatorToken = await h.token({
    subject: "coordinator-1",
    role: "group-coordinator",
    organisationId,
    groupIds: [group.id],
  });
});

afterAll(async () => {
  await h?.close();
});

const schema = () =>
  doc.components.schemas.Organisation as { properties: Record<string, { description?: string }> };
const read = async (token: string) =>
  expectJson<Record<string, unknown>>(
    await h.call("GET", `/api/v1/organisations/${organisationId}`, { token }),
    200,
  );

describe("reading an organisation", () => {
  it("shows a coordinator its name, and not where the umbrella admins are alerted", async () => {
    const organisation = await read(coordinatorToken);
    expect(organisation).toMatchObject({ id: organisationId, name: "Alertham Network" });
    expect(organisation).not.toHaveProperty("alertEmails");
    expect(JSON.stringify(organisation)).not.toContain("alerts.one");
  });

  it("shows an umbrella admin the addresses they are alerted at", async () => {
    expect((await read(adminToken)).alertEmails).toEqual(alertEmails);
  });

  it("answers only fields the document declares, and the document says who sees the addresses", async () => {
    const declared = Object.keys(schema().properties);
    for (const token of [coordinatorToken, adminToken])
      for (const key of Object.keys(await read(token))) expect(declared).toContain(key);
    expect(schema().properties.alertEmails?.description).toMatch(/umbrella admins? only/i);
  });
});

const patch = (token: string, json: unknown, id = organisationId) =>
  h.call("PATCH", `/api/v1/organisations/${id}`, { token, json });

/** The text a member with a phone would get that the session moved, as the sink received it. */
const movedText = async () => {
  const { ports } = h.runtime;
  const phone = `+447${String(randomInt(0, 1_000_000_000)).padStart(9, "0")}`;
  const member = await createMember(ports, organisationId, {
    name: "Tess",
    email: `tess-${randomInt(0, 1_000_000_000)}@example.org`,
    phone,
    reminders: [{ channel: "sms", offsetMinutes: 60 }],
  });
  const session = await scheduleSession(ports, organisationId, groupId, {
    title: "Memory cafe",
    startLocal: "2030-05-01T19:00",
    durationMinutes: 60,
    duties: [],
  });
  const send = await sessionMessageSender(ports, "moved", session, "Alertham Circle")(member, "sms");
  await send();
  const [text] = (await readSmsSink(inject("smsEndpoint"))).filter((m) => m.DestinationPhoneNumber === phone);
  return text!.MessageBody;
};

describe("changing whether texts name groups", () => {
  it("is refused to a coordinator, to another organisation's admin, and with anything but the one field", async () => {
    expect((await patch(coordinatorToken, { textsNameGroups: true })).status).toBe(403);
    const other = await h.token({ subject: "admin-2", role: "umbrella-admin", organisationId: "elsewhere" });
    expect((await patch(other, { textsNameGroups: true })).status).toBe(404);
    expect((await patch(adminToken, { textsNameGroups: "yes" })).status).toBe(400);
    expect((await patch(adminToken, { textsNameGroups: true, name: "Renamed" })).status).toBe(400);
    expect((await patch(adminToken, {})).status).toBe(400);
    expect(await read(adminToken)).not.toHaveProperty("textsNameGroups");
    expect(await movedText()).toMatch(/^Changed: your group now meets /);
  });

  it("lets an umbrella admin turn it on, shown to all, and texts then name the group; off again, neutral", async () => {
    const on = await expectJson<Record<string, unknown>>(
      await patch(adminToken, { textsNameGroups: true }),
      200,
    );
    expect(on).toMatchObject({
      id: organisationId,
      name: "Alertham Network",
      alertEmails,
      textsNameGroups: true,
    });
    expect((await read(coordinatorToken)).textsNameGroups).toBe(true);
    expect(await movedText()).toMatch(/^Changed: Alertham Circle: Memory cafe, now /);

    const off = await expectJson<Record<string, unknown>>(
      await patch(adminToken, { textsNameGroups: false }),
      200,
    );
    expect(off).not.toHaveProperty("textsNameGroups");
    expect(await read(adminToken)).toMatchObject({ name: "Alertham Network", alertEmails });
    expect(await movedText()).toMatch(/^Changed: your group now meets /);
  });

  it("declares the field in the document", () => {
    expect(Object.keys(schema().properties)).toContain("textsNameGroups");
  });
});
