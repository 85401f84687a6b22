// The texts that tell a member what became of their answer by text: one segment each, neutral
// (no group name, no condition), naming only what was asked.

export type SmsAnswerNote =
  | "coming"
  | "waiting"
  | "not-coming"
  | "maybe"
  | "volunteered"
  | "not-volunteering"
  | "accepted"
  | "declined"
  | "session-cancelled"
  | "session-past"
  | "not-asked"
  | "role-filled"
  | "not-a-member";

const notes: Record<SmsAnswerNote, string> = {
  coming: "Thanks: you're down as coming.",
  waiting: "Thanks: the session is full, so you're on the waiting list. We'll email you if a place frees up.",
  "not-coming": "Thanks: you're down as not coming.",
  maybe: "Thanks: you're down as maybe.",
  volunteered: "Thanks for volunteering: we'll be in touch.",
  "not-volunteering": "Thanks for letting us know.",
  accepted: "Thanks: the role is yours. Details follow by email.",
  declined: "Thanks for letting us know: we'll ask the next person.",
  "session-cancelled": "That session was cancelled, so your answer was not recorded.",
  "session-past": "That session has already started, so your answer was not recorded.",
  "not-asked": "That session does not take answers by text, so nothing was recorded.",
  "role-filled": "Thanks, but that role has been filled (or the call has closed): nothing was recorded.",
  "not-a-member": "You are no longer in that group, so nothing was recorded.",
};

export const smsAnswerReply = (note: SmsAnswerNote): string => notes[note];

/** What a numbered menu says of each question it offers. */
export type MenuOption =
  { kind: "rsvp"; startsAtLocal: string } | { kind: "call" | "offer"; roleName: string };

const optionWords = (option: MenuOption): string =>
  option.kind === "rsvp" ? `the session ${option.startsAtLocal}` : `the ${option.roleName} role`;

/** "Which did you mean? Reply 1 for …, 2 for …": the numbered reply then answers. */
export const smsAnswerMenu = (options: readonly MenuOption[]): string =>
  `Which is your answer for? ${options.map((o, at) => `Reply ${at + 1} for ${optionWords(o)}`).join(", ")}.`;
