import type { RoleDefinition } from "#domain/role.ts";
import { asMemberOf, paragraph } from "#messages/email-kit/blocks.ts";
import { renderEmail, type RenderedEmail } from "#messages/email-kit/render-email.ts";

export type RoleReplyProblem =
  "unreadable" | "vacancy-over" | "not-from-member" | "not-a-candidate" | "not-a-member" | "unverified";

export interface RoleReplyNotUnderstoodInput {
  groupName: string;
  firstName: string;
  definition: RoleDefinition;
  problem: RoleReplyProblem;
}

/** A reply about a role that changed nothing, and why; sent to the member's own address. */
export function renderRoleReplyNotUnderstood(input: RoleReplyNotUnderstoodInput): RenderedEmail {
  const role = input.definition.name;
  const why: Record<RoleReplyProblem, string> = {
    unreadable: `We couldn't read an answer in your reply about ${role}, so nothing changed. Please reply again with the answer on the first line.`,
    "vacancy-over": `The role of ${role} has been filled (or the question has closed), so your reply changed nothing. Thank you all the same.`,
    "not-from-member": `We received a reply about ${role} from a different email address, so it changed nothing. Please reply from the address this email was sent to.`,
    "not-a-member": `You are no longer a member of ${input.groupName}, so your reply about ${role} changed nothing.`,
    unverified: `We couldn't verify that your reply about ${role} came from you, so it changed nothing. Please use the link in the email instead.`,
    "not-a-candidate": `The member you named did not volunteer for ${role}, so nobody was appointed. Please reply with the number of one of the volunteers.`,
  };
  return renderEmail({
    subject: `Your reply about ${role} changed nothing`,
    heading: "Your reply changed nothing",
    firstName: input.firstName,
    blocks: [paragraph(why[input.problem])],
    footer: { reason: asMemberOf(input.groupName) },
  });
}
