import { conflict, notFound } from "#domain/errors.ts";
import { defaultRsvpPrivacy } from "#domain/rsvp-privacy.ts";
import type { Ports } from "#ports/ports.ts";

export type NameOptInOutcome =
  /** Recorded: the member's name is now shown to the group's organisers, or no longer. */
  | { kind: "set"; shown: boolean }
  /** The group does not leave names to each member (its setting is not "opt-in"): nothing changes. */
  | { kind: "not-offered" }
  | { kind: "not-a-member" };

type Deps = Pick<Ports, "store" | "rsvps" | "clock">;
type MemberOfGroup = { organisationId: string; groupId: string; memberId: string };

/**
 * A member's own choice, from their signed link page, to let the group's facilitators and
 * coordinators see their name beside their answers, or to withdraw it. Offered only where the
 * group's setting is "opt-in"; the membership is checked again in the write that opts in.
 */
export const chooseNameShown = async (
  deps: Deps,
  ref: MemberOfGroup,
  shown: boolean,
): Promise<NameOptInOutcome> => {
  const { organisationId: o, groupId: g, memberId } = ref;
  const [privacy, member] = await Promise.all([
    deps.rsvps.getPrivacy(o, g),
    deps.store.isGroupMember(o, g, memberId),
  ]);
  if (!member) return { kind: "not-a-member" };
  if ((privacy ?? defaultRsvpPrivacy(o, g)).names !== "opt-in") return { kind: "not-offered" };
  const at = shown ? deps.clock.now().toISOString() : undefined;
  if (!(await deps.rsvps.setNameOptIn(o, g, memberId, at))) return { kind: "not-a-member" };
  return { kind: "set", shown };
};

/**
 * What the member's own page shows of the choice: undefined where it is not theirs to make (the
 * group's setting is not "opt-in", or they left), else whether their name is shown now.
 */
export const nameChoiceOf = async (deps: Deps, ref: MemberOfGroup): Promise<boolean | undefined> => {
  const { organisationId: o, groupId: g, memberId } = ref;
  const privacy = (await deps.rsvps.getPrivacy(o, g)) ?? defaultRsvpPrivacy(o, g);
  if (privacy.names !== "opt-in") return undefined;
  const [member, optedIn] = await Promise.all([
    deps.store.isGroupMember(o, g, memberId),
    deps.rsvps.listNameOptIns(o, g),
  ]);
  return member ? optedIn.has(memberId) : undefined;
};

/** chooseNameShown for callers that answer errors: not found outside the group, a conflict where it is not offered. */
export async function setNameOptIn(deps: Deps, ref: MemberOfGroup, optedIn: boolean): Promise<void> {
  const outcome = await chooseNameShown(deps, ref, optedIn);
  if (outcome.kind === "not-a-member") throw notFound("member");
  if (outcome.kind === "not-offered") throw conflict("this group does not leave names to each member");
}
