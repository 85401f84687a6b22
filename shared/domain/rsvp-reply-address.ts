/**
 * The Reply-To address of an email asking a member whether they are coming (a reminder or
 * invite, a place offered): `rsvp+<token>@<reply domain>`, beside `ballot+` and `role+`. The
 * token is a newBallotToken (130 random bits) standing for one member and one session.
 */
const rsvpAddressPattern = /^rsvp\+([a-z2-7]{26})@(.+)$/i;

export const rsvpReplyAddress = (token: string, replyDomain: string): string =>
  `rsvp+${token}@${replyDomain}`;

/** The RSVP token in a recipient address on the reply domain, if it is one of ours. */
export const rsvpTokenFromRecipient = (recipient: string, replyDomain: string): string | undefined => {
  const match = rsvpAddressPattern.exec(recipient.trim());
  if (!match || match[2]!.toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return match[1]!.toLowerCase();
};
