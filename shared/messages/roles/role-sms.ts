import { optOutHint } from "#messages/sessions/session-sms.ts";
import { smsSegments } from "#messages/sms-segments.ts";

/**
 * The texts that ask about a vacancy, to members who chose SMS: a call for volunteers and a
 * rotation's offer. Neutral (the role, never the group, whose name may say what brings members
 * together) and one segment where possible: the opt-out hint goes first when the role's name is long.
 */
export const renderRoleSms = (purpose: "call" | "offer", roleName: string): string => {
  const role = roleName.trim();
  const [lead, ask] =
    purpose === "call"
      ? [`Your group needs a new ${role}. Can you do it?`, "Reply YES"]
      : [`It's your turn to take on ${role} for your group.`, "Reply YES or NO"];
  // The question ends the text, as a reminder's does; the hint goes first when room is short.
  const withHint = `${lead} ${optOutHint}. ${ask}`;
  return smsSegments(withHint) === 1 ? withHint : `${lead} ${ask}`;
};
