/** An umbrella organisation: the tenant. Every key in the store carries its id. */
export interface Organisation {
  id: string;
  name: string;
  /** Where the umbrella admins are alerted (escalated vacancies, sessions with no facilitator). */
  alertEmails?: string[];
  /**
   * Texts name the group and the session's title. Off (absent) by default: texts use a
   * neutral wording, as a group's name often says what condition brings its members together.
   */
  textsNameGroups?: boolean;
  createdAt: string;
}
