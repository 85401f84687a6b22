import { ballotReplyAddress } from "#domain/ballot-token.ts";
import { formatLocal } from "#domain/local-time.ts";
import type { Member } from "#domain/member.ts";
import { toMember } from "#domain/recipient.ts";
import { describeResult, type Vote } from "#domain/vote.ts";
import { ballotLinkUrl, signBallotLink } from "#links/ballot-link.ts";
import type { OutgoingEmail } from "#ports/mailer.ts";
import type { Settings } from "#ports/ports.ts";
import {
  renderBallotConfirmation,
  renderBallotEmail,
  renderReplyNotCounted,
  renderVoteCancelled,
  renderVoteReminder,
  renderVoteResult,
  type ReplyNotCountedReason,
} from "./vote-emails.ts";

// Whole vote emails for one member: the reply address carries their ballot token, so a
// plain reply is their ballot; every option also has a signed link to a confirmation page.

export type NotCountedReason = ReplyNotCountedReason;

const firstName = (member: Member) => member.name.trim().split(/\s+/)[0] ?? member.name;
const closesAtLocal = (vote: Vote, timeZone: string) => formatLocal(new Date(vote.closesAt), timeZone);

const optionLinks = (settings: Settings, vote: Vote, token: string) =>
  Promise.all(
    vote.options.map(async (option) => ({
      option,
      url: ballotLinkUrl(
        settings.publicBaseUrl,
        await signBallotLink({ ballotToken: token, optionId: option.id }, settings.linkSigningSecret),
      ),
    })),
  );

const envelope = (settings: Settings, member: Member, groupId: string, token?: string) => ({
  ...toMember(member, groupId),
  from: settings.fromAddress,
  ...(token ? { replyTo: ballotReplyAddress(token, settings.replyDomain) } : {}),
});

export interface VoteEmailContext {
  vote: Vote;
  groupName: string;
  timeZone: string;
  member: Member;
}

export const ballotEmail = async (
  settings: Settings,
  c: VoteEmailContext,
  token: string,
): Promise<OutgoingEmail> => ({
  ...envelope(settings, c.member, c.vote.groupId, token),
  ...renderBallotEmail({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstName(c.member),
    closesAtLocal: closesAtLocal(c.vote, c.timeZone),
    optionLinks: await optionLinks(settings, c.vote, token),
  }),
});

export const voteReminderEmail = async (
  settings: Settings,
  c: VoteEmailContext,
  token: string,
): Promise<OutgoingEmail> => ({
  ...envelope(settings, c.member, c.vote.groupId, token),
  ...renderVoteReminder({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstName(c.member),
    closesAtLocal: closesAtLocal(c.vote, c.timeZone),
    optionLinks: await optionLinks(settings, c.vote, token),
  }),
});

export const ballotConfirmationEmail = (
  settings: Settings,
  c: VoteEmailContext,
  token: string,
  optionId: string,
  replaced: boolean,
): OutgoingEmail => ({
  ...envelope(settings, c.member, c.vote.groupId, token),
  ...renderBallotConfirmation({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstName(c.member),
    optionLabel:
      c.vote.secrecy === "secret" ? undefined : c.vote.options.find((o) => o.id === optionId)?.label,
    replaced,
    closesAtLocal: closesAtLocal(c.vote, c.timeZone),
  }),
});

export const replyNotCountedEmail = async (
  settings: Settings,
  input: {
    reason: NotCountedReason;
    vote: Vote;
    groupName: string;
    member: Member;
    token: string;
    optionId?: string;
  },
): Promise<OutgoingEmail> => {
  const confirmUrl =
    input.reason === "held-for-confirmation" && input.optionId
      ? ballotLinkUrl(
          settings.publicBaseUrl,
          await signBallotLink(
            { ballotToken: input.token, optionId: input.optionId },
            settings.linkSigningSecret,
          ),
        )
      : undefined;
  return {
    ...envelope(settings, input.member, input.vote.groupId, input.token),
    ...renderReplyNotCounted({
      vote: input.vote,
      groupName: input.groupName,
      memberFirstName: firstName(input.member),
      reason: input.reason,
      ...(confirmUrl ? { confirmUrl } : {}),
    }),
  };
};

export const voteResultEmail = (settings: Settings, c: VoteEmailContext): OutgoingEmail => ({
  ...envelope(settings, c.member, c.vote.groupId),
  ...renderVoteResult({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstName(c.member),
    result: c.vote.result!,
    describe: describeResult(c.vote, c.vote.result!),
  }),
});

export const voteCancelledEmail = (
  settings: Settings,
  c: VoteEmailContext,
  reason?: string,
): OutgoingEmail => ({
  ...envelope(settings, c.member, c.vote.groupId),
  ...renderVoteCancelled({
    vote: c.vote,
    groupName: c.groupName,
    memberFirstName: firstName(c.member),
    reason,
  }),
});
