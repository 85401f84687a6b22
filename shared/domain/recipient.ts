import type { Member } from "./member.ts";

/**
 * Whom an email is for, when it goes to a member about one of their groups. The mailer sends
 * these with the message (SES message tags), and SES hands them back with a bounce or a
 * complaint, so the report finds its member without reading the address.
 */
export interface Recipient {
  organisationId: string;
  groupId: string;
  memberId: string;
}

/** The message tags a Recipient travels as. SES allows letters, digits, '_' and '-' in tags. */
export const recipientTags = {
  organisationId: "convene-organisation",
  groupId: "convene-group",
  memberId: "convene-member",
} as const satisfies Record<keyof Recipient, string>;

/** The recipient a message's tags (SES) or context (SMS) name, when they name all three ids. */
export const recipientFrom = (valueOf: (tag: string) => string | undefined): Recipient | undefined => {
  const organisationId = valueOf(recipientTags.organisationId);
  const groupId = valueOf(recipientTags.groupId);
  const memberId = valueOf(recipientTags.memberId);
  return organisationId && groupId && memberId ? { organisationId, groupId, memberId } : undefined;
};

/** The address and recipient of an email to a member about a group. */
export const toMember = (member: Pick<Member, "organisationId" | "id" | "email">, groupId: string) => ({
  to: member.email,
  recipient: { organisationId: member.organisationId, groupId, memberId: member.id },
});
