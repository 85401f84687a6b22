import type { ConveneEvent, EventOf } from "#events/catalogue.ts";
import type { EventHandler } from "#bus/bus-event.ts";
import { DomainError } from "#domain/errors.ts";
import { newEvent } from "#domain/new-event.ts";
import { termEnded } from "#domain/role-assignment.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "clock" | "log">;

/** Reads and writes a role again after a concurrent change this many times before failing (the bus retries). */
const attempts = 3;

/**
 * A holder's term ends → they leave the role (RoleVacated, reason term-ended), once.
 * - RoleFilled: the new holder's termEndsAt, if any, gets a RoleTermEnded schedule (a name per
 *   holder, since and term end: a redelivery schedules nothing more); a term end already past
 *   (a late delivery) ends the term at once.
 * - RoleTermEnded: if the member still holds the role on the same term (the same `since`),
 *   termEnded is applied through applyRoleChange; a member who stepped down, left, or took
 *   the role again since is not touched, and a term extended meanwhile ends nothing.
 */
export const createEndRoleTerms =
  (ports: Deps): EventHandler =>
  async (event: ConveneEvent) => {
    if (event.type === "RoleFilled") return planTermEnd(ports, event);
    if (event.type === "RoleTermEnded")
      return endTerm(ports, event.organisationId, event.groupId, event.data, event.correlationId);
  };

const planTermEnd = async (ports: Deps, event: EventOf<"RoleFilled">) => {
  const { organisationId: o, groupId: g } = event;
  const { roleId, memberId } = event.data;
  const role = await ports.roles.getRole(o, g, roleId);
  const holder = role?.holders.find((h) => h.memberId === memberId);
  if (holder?.termEndsAt === undefined) return;
  const term = { roleId, memberId, since: holder.since };
  const endsAt = new Date(holder.termEndsAt);
  if (endsAt.getTime() <= ports.clock.now().getTime()) return endTerm(ports, o, g, term, event.correlationId);
  const group = await ports.store.getGroup(o, g);
  if (!group) return;
  await ports.scheduler.scheduleOnce({
    name: scheduleName("role-term-end", o, g, roleId, memberId, holder.since, endsAt.toISOString()),
    at: endsAt,
    timeZone: group.timeZone,
    event: newEvent(
      "RoleTermEnded",
      { organisationId: o, groupId: g, correlationId: event.correlationId },
      term,
      endsAt,
    ),
  });
  ports.log.info("role term end planned", { groupId: g, roleId, at: endsAt.toISOString() });
};

const endTerm = async (
  ports: Deps,
  o: string,
  g: string,
  term: EventOf<"RoleTermEnded">["data"],
  correlationId: string,
) => {
  for (let attempt = 1; ; attempt++) {
    const role = await ports.roles.getRole(o, g, term.roleId);
    const holder = role?.holders.find((h) => h.memberId === term.memberId);
    if (!role || !holder || Date.parse(holder.since) !== Date.parse(term.since)) {
      ports.log.info("term already over; nothing to end", { groupId: g, roleId: term.roleId });
      return;
    }
    const now = ports.clock.now();
    const change = termEnded(role, now);
    if (change.vacancies.length === 0) {
      ports.log.info("term not over yet; nothing to end", { groupId: g, roleId: term.roleId });
      return;
    }
    const events = change.vacancies.map((vacancy) =>
      newEvent("RoleVacated", { organisationId: o, groupId: g, correlationId }, vacancy, now),
    );
    try {
      await ports.roles.applyRoleChange({ ...change, expectedVersion: role.version }, events);
      ports.log.info("role term ended", { groupId: g, roleId: term.roleId, vacated: events.length });
      return;
    } catch (error) {
      // Changed meanwhile (a redelivery racing this one, an assignment): read it again.
      if (!(error instanceof DomainError && error.kind === "conflict") || attempt >= attempts) throw error;
    }
  }
};
