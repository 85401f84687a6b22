/**
 * The Reply-To address of a role email (a call for volunteers, an offer, an objection notice,
 * a request to appoint): `role+<token>@<reply domain>`, beside the ballots' `ballot+<token>@`.
 * The token is a newBallotToken: 130 random bits in 26 lower-case base32 characters.
 */
const roleAddressPattern = /^role\+([a-z2-7]{26})@(.+)$/i;

export const roleReplyAddress = (token: string, replyDomain: string): string =>
  `role+${token}@${replyDomain}`;

/** The role token in a recipient address on the reply domain, if it is one of ours. */
export const roleTokenFromRecipient = (recipient: string, replyDomain: string): string | undefined => {
  const match = roleAddressPattern.exec(recipient.trim());
  if (!match || match[2]!.toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return match[1]!.toLowerCase();
};
