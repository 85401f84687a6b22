import type { EventOf } from "#events/catalogue.ts";
import { DomainError } from "#domain/errors.ts";
import { newEvent } from "#domain/new-event.ts";
import { termEnded } from "#domain/role-assignment.ts";
import { scheduleName } from "#domain/schedule-name.ts";
import type { Ports } from "#ports/ports.ts";

type Deps = Pick<Ports, "store" | "roles" | "scheduler" | "clock">;

/** A holder's term: the member, the role, and since when they have held it. */
export type Term = EventOf<"RoleTermEnded">["data"];

interface GroupScope {
  organisationId: string;
  groupId: string;
}

/** Reads and writes a role again after a concurrent change this many times before failing (the bus retries). */
const attempts = 3;

export type TermEnded = { outcome: "ended"; vacated: number } | { outcome: "already-over" | "not-over-yet" };

export type TermEndPlanned =
  { outcome: "planned"; at: string } | { outcome: "no-term-end" | "no-group" } | TermEnded;

/**
 * A member took a role (RoleFilled) → if their term ends, a RoleTermEnded schedule is made
 * (a name per holder, since and term end: a redelivery schedules nothing more); a term end
 * already past (a late delivery) ends the term at once.
 */
export const planTermEnd = async (
  ports: Deps,
  scope: GroupScope,
  { roleId, memberId }: { roleId: string; memberId: string },
  correlationId: string,
): Promise<TermEndPlanned> => {
  const { organisationId: o, groupId: g } = scope;
  const role = await ports.roles.getRole(o, g, roleId);
  const holder = role?.holders.find((h) => h.memberId === memberId);
  if (holder?.termEndsAt === undefined) return { outcome: "no-term-end" };
  const term = { roleId, memberId, since: holder.since };
  const endsAt = new Date(holder.termEndsAt);
  if (endsAt.getTime() <= ports.clock.now().getTime()) return endTerm(ports, scope, term, correlationId);
  const group = await ports.store.getGroup(o, g);
  if (!group) return { outcome: "no-group" };
  await ports.scheduler.scheduleOnce({
    name: scheduleName("role-term-end", o, g, roleId, memberId, holder.since, endsAt.toISOString()),
    at: endsAt,
    timeZone: group.timeZone,
    event: newEvent("RoleTermEnded", { organisationId: o, groupId: g, correlationId }, term, endsAt),
  });
  return { outcome: "planned", at: endsAt.toISOString() };
};

/**
 * A holder's term has ended → they leave the role (RoleVacated, reason term-ended), once: if
 * the member still holds the role on the same term (the same `since`), termEnded is applied
 * through applyRoleChange. A member who stepped down, left, or took the role again since is
 * not touched, and a term extended meanwhile ends nothing.
 */
export const endTerm = async (
  ports: Deps,
  { organisationId: o, groupId: g }: GroupScope,
  term: Term,
  correlationId: string,
): Promise<TermEnded> => {
  for (let attempt = 1; ; attempt++) {
    const role = await ports.roles.getRole(o, g, term.roleId);
    const holder = role?.holders.find((h) => h.memberId === term.memberId);
    if (!role || !holder || Date.parse(holder.since) !== Date.parse(term.since))
      return { outcome: "already-over" };
    const now = ports.clock.now();
    const change = termEnded(role, now);
    if (change.vacancies.length === 0) return { outcome: "not-over-yet" };
    const events = change.vacancies.map((vacancy) =>
      newEvent("RoleVacated", { organisationId: o, groupId: g, correlationId }, vacancy, now),
    );
    try {
      await ports.roles.applyRoleChange({ ...change, expectedVersion: role.version }, events);
      return { outcome: "ended", vacated: events.length };
    } catch (error) {
      // Changed meanwhile (a redelivery racing this one, an assignment): read it again.
      if (!(error instanceof DomainError && error.kind === "conflict") || attempt >= attempts) throw error;
    }
  }
};
