/**
 * The Reply-To address of a "still meeting?" email: `series+<token>@<reply domain>`, beside
 * the ballots' `ballot+` and the roles' `role+`. The token is a newBallotToken: 130 random bits
 * in 26 lower-case base32 characters.
 */
const seriesAddressPattern = /^series\+([a-z2-7]{26})@(.+)$/i;

export const seriesReplyAddress = (token: string, replyDomain: string): string =>
  `series+${token}@${replyDomain}`;

/** The series token in a recipient address on the reply domain, if it is one of ours. */
export const seriesTokenFromRecipient = (recipient: string, replyDomain: string): string | undefined => {
  const match = seriesAddressPattern.exec(recipient.trim());
  if (!match || match[2]!.toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return match[1]!.toLowerCase();
};
