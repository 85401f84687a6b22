import { requireUmbrellaAdmin } from "#access/principal.ts";
import type { Ports } from "#ports/ports.ts";
import { smallCountThreshold } from "#read-models/small-counts.ts";
import { readOrganisationOverview } from "#use-cases/overview/read-organisation-overview.ts";
import * as z from "#validation/zod-mini.ts";
import { defineRoute, implement, type ApiRoute } from "../route.ts";
import { Id } from "../schemas.ts";
import { errorResponses, json } from "./responses.ts";

/** In place of a count of people under the threshold, on organisation-level views. */
const FewerThan = z.object({ fewerThan: z.literal(smallCountThreshold) }).register(z.globalRegistry, {
  id: "FewerThan",
  description: `Fewer than ${smallCountThreshold} people (0 included): the figure is hidden so a small group's attendance cannot be read off the organisation's view`,
});

const ShownCount = z.union([z.int(), FewerThan]).register(z.globalRegistry, {
  id: "ShownCount",
  description: `A count of people: exact from ${smallCountThreshold} up; under it (0 included) { "fewerThan": ${smallCountThreshold} }, so a small group's attendance cannot be read off the organisation's view`,
});

const ExpectedVsAttended = z
  .nullable(z.object({ sessions: z.int(), expected: ShownCount, attended: ShownCount }))
  .register(z.globalRegistry, {
    description:
      "Sessions that asked for RSVPs and have attendance recorded: yes answers (expected) against headcounts (attended); null when there were none",
  });

const GroupHealth = z
  .object({
    groupId: z.string(),
    name: z.string(),
    timeZone: z.string(),
    members: z.int(),
    unreachableMembers: z.int(),
    nextSession: z.nullable(
      z.object({ sessionId: z.string(), startsAt: z.string(), hasFacilitator: z.boolean() }),
    ),
    vacantRoles: z.array(
      z.object({ roleId: z.string(), name: z.string(), critical: z.boolean(), vacantSince: z.string() }),
    ),
    openVotes: z.array(
      z.object({
        voteId: z.string(),
        question: z.string(),
        closesAt: z.string(),
        ballots: z.int(),
        eligible: z.int(),
      }),
    ),
    trainingExpiring: z.int(),
    seriesNeedingConfirmation: z.array(
      z.object({ seriesId: z.string(), lastConfirmedAt: z.string(), askedAt: z.nullable(z.string()) }),
    ),
    expectedVsAttended: ExpectedVsAttended,
    attention: z.object({ level: z.enum(["urgent", "warning", "ok"]), reasons: z.array(z.string()) }),
    updatedAt: z.string(),
  })
  .register(z.globalRegistry, { id: "GroupHealth" });

const OrganisationOverview = z
  .object({
    organisationId: z.string(),
    generatedAt: z.string(),
    groups: z.array(GroupHealth).register(z.globalRegistry, { description: "Needing help first" }),
    trends: z
      .array(
        z.object({
          month: z.string(),
          sessionsHeld: z.int(),
          attendance: z.nullable(z.union([z.number(), FewerThan])),
          voteTurnout: z.nullable(z.number()),
          vacancies: z.int(),
          expectedVsAttended: ExpectedVsAttended,
        }),
      )
      .register(z.globalRegistry, { description: "The last 12 months, oldest first" }),
  })
  .register(z.globalRegistry, { id: "OrganisationOverview" });

const read = defineRoute({
  method: "get",
  path: "/organisations/{organisationId}/overview",
  operationId: "getOverview",
  summary: "Every group's health, needing help first, and 12 months of trends (umbrella admins)",
  params: z.object({ organisationId: Id }),
  responses: { 200: json("The overview", OrganisationOverview), ...errorResponses },
});

/** The umbrella admins' overview: read from the aggregates the projection keeps, two queries. */
export const overviewRoutes = (ports: Ports): ApiRoute[] => [
  implement(read, async (c) => {
    const { organisationId } = c.req.valid("param");
    requireUmbrellaAdmin(c.var.principal, organisationId);
    return c.json(await readOrganisationOverview(ports, organisationId, ports.clock.now()), 200);
  }),
];
