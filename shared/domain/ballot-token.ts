import { randomBytes } from "node:crypto";

const alphabet = "abcdefghijklmnopqrstuvwxyz234567";

/**
 * A reply token: 130 random bits in 26 lower-case base32 characters, safe in an email
 * address's local part (which mail systems may lower-case) and impossible to guess.
 */
export const newBallotToken = (): string => {
  const bytes = randomBytes(17);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < 26) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
};

const replyAddressPattern = /^ballot\+([a-z2-7]{26})@(.+)$/i;

/** The Reply-To address of a ballot email. */
export const ballotReplyAddress = (token: string, replyDomain: string): string =>
  `ballot+${token}@${replyDomain}`;

/** The token in a recipient address on the reply domain, if it is one of ours. */
export const tokenFromRecipient = (recipient: string, replyDomain: string): string | undefined => {
  const match = replyAddressPattern.exec(recipient.trim());
  if (!match || match[2]!.toLowerCase() !== replyDomain.toLowerCase()) return undefined;
  return match[1]!.toLowerCase();
};
