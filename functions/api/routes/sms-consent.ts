import { requireUmbrellaAdmin } from "#access/principal.ts";
import { smsConsentOf, type Consent } from "#domain/consent.ts";
import { conflict, notFound } from "#domain/errors.ts";
import type { Ports } from "#ports/ports.ts";
import { changeSmsConsent } from "#use-cases/sms/change-sms-consent.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id, SmsConsent, SmsConsentInput } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

const MemberParams = z.object({ organisationId: Id, memberId: Id });
const consentPath = "/organisations/{organisationId}/members/{memberId}/sms-consent";

const history = defineRoute({
  method: "get",
  path: consentPath,
  operationId: "listSmsConsent",
  summary: "A member's SMS consent records, newest first; kept for good (umbrella admins)",
  params: MemberParams,
  responses: { 200: json("The records", z.object({ items: z.array(SmsConsent) })), ...errorResponses },
});
const record = defineRoute({
  method: "post",
  path: consentPath,
  operationId: "recordSmsConsent",
  summary:
    "Record that a member gave or withdrew SMS consent, as told to an admin (umbrella admins); the same state again records nothing (200); 409 for a member without a phone number",
  params: MemberParams,
  body: { schema: SmsConsentInput, required: true },
  responses: {
    200: json("Consent already stood so: nothing recorded", SmsConsent),
    201: json("Recorded", SmsConsent),
    ...errorResponses,
  },
});

const view = ({ state, at, how, wordingVersion }: Consent): Consent => ({ state, at, how, wordingVersion });

export const smsConsentRoutes = (ports: Ports): ApiRoute[] => [
  implement(history, async (c) => {
    const { organisationId, memberId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    if (!(await ports.store.getMember(organisationId, memberId))) throw notFound("member");
    const records = await ports.store.listConsentRecords(organisationId, memberId, "sms");
    return c.json({ items: records.reverse().map(view) }, 200);
  }),
  implement(record, async (c) => {
    const { organisationId, memberId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    const member = await ports.store.getMember(organisationId, memberId);
    if (!member) throw notFound("member");
    if (!member.phone) throw conflict("The member has no phone number: add one before recording SMS consent");
    const input = c.req.valid("json");
    const now = ports.clock.now();
    const outcome = await changeSmsConsent(ports, member, { ...input, how: "admin" }, now);
    if (outcome === "no-member") throw notFound("member");
    if (outcome === "recorded") return c.json(view({ ...input, how: "admin", at: now.toISOString() }), 201);
    const current = smsConsentOf((await ports.store.getMember(organisationId, memberId)) ?? member);
    return c.json(view(current ?? { ...input, how: "admin", at: now.toISOString() }), 200);
  }),
];
