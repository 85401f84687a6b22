// The texts Convene answers keywords with. Each fits one GSM-7 segment for a usual name, names
// the sender (carriers require it) and never the member's groups or their condition.

const named = (organisationNames: readonly string[]) => organisationNames.join(" and ");

/** After STOP: what stopped, and how to start again. */
export const optedOutReply = (organisationNames: readonly string[]): string =>
  `${named(organisationNames)}: you will get no more texts from us. Reply START to get them again.`;

/** After START or UNSTOP. */
export const optedInReply = (organisationNames: readonly string[]): string =>
  `${named(organisationNames)}: texts are back on. Reply STOP to stop them, HELP for help.`;

/** After HELP: who is sending, who to ask, how to stop. */
export const helpReply = (organisationNames: readonly string[]): string =>
  `${named(organisationNames)}: reminders for your groups. For help ask your group's coordinator or reply to any of our emails. Reply STOP to stop texts.`;
