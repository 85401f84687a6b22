import { DomainError } from "#domain/errors.ts";
import { readChoice, readVolunteering } from "#inbound/read-choice.ts";
import { readObjection } from "#inbound/read-objection.ts";
import type { RoleReplyRef } from "#ports/role-store.ts";
import { declineOffer } from "../vacancies/decline-role-offer.ts";
import { fillRole } from "../vacancies/fill-role.ts";
import { appointVolunteer, volunteerFor } from "./role-holders.ts";
import type { VacancyPorts } from "../vacancies/vacancy-facts.ts";

/**
 * A member's answer about a vacancy, by reply or by signed link: what it says, for the
 * purpose their token was issued for. The same trust rules as ballots apply before this
 * (the token names the member; a reply must come from their address).
 */
export type RoleAnswer =
  | { kind: "volunteer" }
  | { kind: "accept" }
  | { kind: "decline" }
  | { kind: "object" }
  | { kind: "appoint"; memberId: string };

export type RoleAnswerOutcome =
  | "volunteered"
  | "already-volunteered"
  | "accepted"
  | "declined"
  | "objected"
  | "appointed"
  /** The vacancy is over (filled, or vacated again later): nothing changes. */
  | "vacancy-over"
  /** The member is no longer in the group. */
  | "not-a-member"
  /** A leader named someone who did not volunteer. */
  | "not-a-candidate"
  /** The answer does not fit the question (e.g. "accept" on a call for volunteers). */
  | "unreadable";

/** Reads what a member typed, for the question their token asked. */
export const readRoleAnswer = async (
  deps: VacancyPorts,
  ref: RoleReplyRef,
  typedText: string,
): Promise<RoleAnswer | undefined> => {
  switch (ref.purpose) {
    case "call":
      return readVolunteering(typedText) ? { kind: "volunteer" } : undefined;
    case "offer": {
      const reading = readChoice(typedText, { kind: "proposal" });
      if (reading.kind !== "choice" || reading.value === "abstain") return undefined;
      return { kind: reading.value === "yes" ? "accept" : "decline" };
    }
    case "objection":
      return readObjection(typedText) ? { kind: "object" } : undefined;
    case "appoint": {
      const volunteers = await deps.roles.listVolunteers(ref);
      const members = await Promise.all(
        volunteers.map((v) => deps.store.getMember(ref.organisationId, v.memberId)),
      );
      const names = members.map((m, at) => m?.name ?? `Volunteer ${at + 1}`);
      const reading = readChoice(typedText, { kind: "choice", options: names });
      if (reading.kind !== "choice") return undefined;
      const at = names.indexOf(reading.value);
      return at < 0 ? undefined : { kind: "appoint", memberId: volunteers[at]!.memberId };
    }
  }
};

const fits: Record<RoleReplyRef["purpose"], readonly RoleAnswer["kind"][]> = {
  call: ["volunteer"],
  offer: ["accept", "decline"],
  objection: ["object"],
  appoint: ["appoint"],
};

/** Acts on an answer; safe to repeat (a second identical answer changes nothing). */
export const answerRole = async (
  deps: VacancyPorts,
  ref: RoleReplyRef,
  answer: RoleAnswer,
  correlationId?: string,
): Promise<RoleAnswerOutcome> => {
  if (!fits[ref.purpose].includes(answer.kind)) return "unreadable";
  const role = await deps.roles.getRole(ref.organisationId, ref.groupId, ref.roleId);
  if (role?.vacantSince !== ref.vacantSince) return "vacancy-over";
  const inGroup = (await deps.store.listGroupMembers(ref.organisationId, ref.groupId)).some(
    (m) => m.id === ref.memberId,
  );
  if (!inGroup) return "not-a-member";
  switch (answer.kind) {
    case "volunteer": {
      const outcome = await volunteerFor(deps, ref, ref.memberId, correlationId);
      return outcome.kind === "recorded" ? "volunteered" : outcome.kind;
    }
    case "accept":
      return (await fillRole(deps, ref, ref.memberId, "offered-and-accepted", correlationId))
        ? "accepted"
        : "vacancy-over";
    case "decline":
      await declineOffer(deps, ref, ref.memberId, correlationId);
      return "declined";
    case "object":
      await deps.roles.recordVacancyResponse(ref, {
        memberId: ref.memberId,
        kind: "objected",
        at: deps.clock.now().toISOString(),
      });
      return "objected";
    case "appoint":
      try {
        await appointVolunteer(deps, ref, answer.memberId, correlationId);
        return "appointed";
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.kind === "invalid") return "not-a-candidate";
        if (error.kind === "conflict") return "vacancy-over";
        throw error;
      }
  }
};
