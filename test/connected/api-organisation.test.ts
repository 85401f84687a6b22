// GET /organisations/{id} answers what the OpenAPI schema declares and nothing more, and the
// addresses the umbrella admins are alerted at only to an umbrella admin.

import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
