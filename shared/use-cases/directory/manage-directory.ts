import { invalid, notFound } from "#domain/errors.ts";
import type { Group, LeadershipModel } from "#domain/group.ts";
import { newId } from "#domain/ids.ts";
import { newEvent } from "#domain/new-event.ts";
import type { Member, QuietHours, ReminderPreference } from "#domain/member.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { Ports } from "#ports/ports.ts";

// The organisation's directory: organisations, groups, members and who belongs where.
// Joining a group and changing reminder preferences emit events, so the reminders of the
// group's upcoming sessions are planned for that member too.

type Deps = Pick<Ports, "store" | "clock">;

export const createOrganisation = async (
  { store, clock }: Deps,
  input: { name: string; id?: string; alertEmails?: string[]; textsNameGroups?: boolean },
): Promise<Organisation> => {
  const organisation: Organisation = {
    id: input.id ?? newId(),
    name: input.name,
    ...(input.alertEmails?.length ? { alertEmails: input.alertEmails } : {}),
    ...(input.textsNameGroups ? { textsNameGroups: true } : {}),
    createdAt: clock.now().toISOString(),
  };
  await store.createOrganisation(organisation);
  return organisation;
};

export const createGroup = async (
  { store, clock }: Deps,
  organisationId: string,
  input: { name: string; timeZone: string; leadershipModel: LeadershipModel },
): Promise<Group> => {
  if (!(await store.getOrganisation(organisationId))) throw notFound("organisation");
  const group: Group = { ...input, organisationId, id: newId(), createdAt: clock.now().toISOString() };
  await store.createGroup(group);
  return group;
};

export interface MemberDetails {
  name: string;
  email: string;
  phone?: string;
  reminders: ReminderPreference[];
  quietHours?: QuietHours;
}

export const createMember = async (
  { store, clock }: Deps,
  organisationId: string,
  input: MemberDetails,
): Promise<Member> => {
  if (!(await store.getOrganisation(organisationId))) throw notFound("organisation");
  const member: Member = {
    ...input,
    organisationId,
    id: newId(),
    unsubscribed: [],
    createdAt: clock.now().toISOString(),
  };
  await store.createMember(member);
  return member;
};

export interface MemberChanges {
  name?: string;
  email?: string;
  phone?: string | null;
  reminders?: ReminderPreference[];
  quietHours?: QuietHours | null;
}

/**
 * Edits a member; `null` clears an optional field. Changing the email re-subscribes nothing,
 * but a new address is worth trying: an earlier bounce or complaint no longer applies to it.
 */
export const updateMember = async (
  { store, clock }: Deps,
  organisationId: string,
  memberId: string,
  changes: MemberChanges,
): Promise<Member> => {
  const member = await store.getMember(organisationId, memberId);
  if (!member) throw notFound("member");
  const { phone, quietHours, ...rest } = changes;
  const updated: Member = { ...member, ...rest };
  if (phone !== undefined) updated.phone = phone ?? undefined;
  if (quietHours !== undefined) updated.quietHours = quietHours ?? undefined;
  const newAddress = rest.email !== undefined && rest.email.toLowerCase() !== member.email.toLowerCase();
  if (newAddress) delete updated.emailUndeliverable;
  // A new number is texted again; the mark (which names the old number) goes with it.
  if (updated.phone !== member.phone) delete updated.phoneUndeliverable;
  if (!updated.phone && updated.reminders.some((r) => r.channel === "sms")) {
    throw invalid("phone", "an SMS reminder needs a phone number");
  }
  // A bounced address replaced is a channel back: reminders are planned for it again.
  const remindersChanged =
    JSON.stringify([updated.reminders, updated.quietHours, updated.phone, updated.emailUndeliverable]) !==
    JSON.stringify([member.reminders, member.quietHours, member.phone, member.emailUndeliverable]);
  const groupIds = remindersChanged ? await store.listMemberGroupIds(organisationId, memberId) : [];
  const now = clock.now();
  await store.updateMember(
    updated,
    groupIds.map((groupId) =>
      newEvent("MemberRemindersChanged", { organisationId, groupId }, { memberId }, now),
    ),
    rest.email === undefined ? undefined : member.email,
  );
  return updated;
};

/** Joins a member to a group; joining again changes nothing and emits nothing. */
export const joinGroup = async (
  { store, clock }: Deps,
  organisationId: string,
  groupId: string,
  memberId: string,
): Promise<"joined" | "already"> => {
  const now = clock.now();
  return store.addMembership(
    { organisationId, groupId, memberId, joinedAt: now.toISOString() },
    newEvent("MemberJoinedGroup", { organisationId, groupId }, { memberId }, now),
  );
};
