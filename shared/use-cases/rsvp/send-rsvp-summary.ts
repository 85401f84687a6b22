import { deliverOnce } from "#delivery/deliver-once.ts";
import { formatLocal, sessionStartInstant } from "#domain/local-time.ts";
import { emailArrives } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { namedFacilitators } from "#domain/role-duties.ts";
import { countsOf } from "#domain/rsvp.ts";
import { defaultRsvpPrivacy, namesShown } from "#domain/rsvp-privacy.ts";
import { firstNameOf } from "#messages/email-kit/render-email.ts";
import { renderRsvpSummary } from "#messages/rsvp/rsvp-summary-email.ts";
import type { Ports } from "#ports/ports.ts";
import { placesOf } from "./change-places.ts";

type Deps = Pick<Ports, "store" | "rsvps" | "mailer" | "clock" | "settings">;

export type RsvpSummaryOutcome =
  | { kind: "sent"; facilitators: number; named: boolean }
  /** Moved, cancelled or gone since the summary was planned: that version's summary is void. */
  | { kind: "stale" }
  | { kind: "not-asked" }
  | { kind: "no-facilitator" };

/**
 * A day before a session that asks for RSVPs, each facilitator it names is emailed the
 * expected numbers once (deliverOnce, keyed by session version), with names only as the
 * group's privacy allows: facilitators are organisers, so "organisers" names everyone who
 * answered, "opt-in" those who chose to be named, "counts" nobody.
 */
export const sendRsvpSummary = async (
  deps: Deps,
  ref: { organisationId: string; groupId: string; sessionId: string; version: number },
): Promise<RsvpSummaryOutcome> => {
  const { organisationId: o, groupId: g } = ref;
  const session = await deps.store.getSession(o, g, ref.sessionId);
  if (!session || session.version !== ref.version || session.status !== "scheduled") return { kind: "stale" };
  const places = await placesOf(deps, session);
  if (!places.settings.asked) return { kind: "not-asked" };
  const facilitatorIds = namedFacilitators(session);
  if (facilitatorIds.length === 0) return { kind: "no-facilitator" };
  const privacy = (await deps.rsvps.getPrivacy(o, g)) ?? defaultRsvpPrivacy(o, g);
  const [group, members, rsvps, optedIn] = await Promise.all([
    deps.store.getGroup(o, g),
    deps.store.listGroupMembers(o, g),
    privacy.names === "counts" ? [] : deps.rsvps.listRsvps(o, session.id),
    privacy.names === "opt-in" ? deps.rsvps.listNameOptIns(o, g) : new Set<string>(),
  ]);
  const nameOf = new Map(members.map((m) => [m.id, m.name]));
  const shown = namesShown(privacy.names, true, optedIn);
  const going = new Set(places.holders.filter((h) => h.status === "going").map((h) => h.memberId));
  const namesOf = (ids: string[]) =>
    ids
      .filter(shown)
      .map((id) => nameOf.get(id) ?? "")
      .filter(Boolean)
      .sort();
  const coming = [...going];
  const maybe = rsvps.filter((r) => r.answer === "maybe").map((r) => r.memberId);
  const named =
    privacy.names === "counts"
      ? undefined
      : { coming: namesOf(coming), maybe: namesOf(maybe), more: coming.filter((id) => !shown(id)).length };
  const common = {
    groupName: group?.name ?? "your group",
    sessionTitle: session.title,
    startsAtLocal: formatLocal(sessionStartInstant(session.startLocal, session.timeZone), session.timeZone),
    counts: countsOf(places),
    ...(places.settings.capacity !== undefined ? { capacity: places.settings.capacity } : {}),
    ...(named ? { named } : {}),
  };
  let facilitators = 0;
  for (const memberId of facilitatorIds) {
    const member = members.find((m) => m.id === memberId);
    // A facilitator who left the group, or whose mail cannot arrive, is not written to.
    if (!member || !emailArrives(member)) continue;
    const email = renderRsvpSummary({ ...common, firstName: firstNameOf(member) });
    await deliverOnce(
      deps.store,
      o,
      `rsvp-summary#${session.id}#${session.version}#${memberId}`,
      deps.clock.now(),
      () => deps.mailer.send({ ...toMember(member, g), from: deps.settings.fromAddress, ...email }),
    );
    facilitators++;
  }
  return { kind: "sent", facilitators, named: named !== undefined };
};
