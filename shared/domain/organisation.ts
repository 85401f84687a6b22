/** An umbrella organisation: the tenant. Every key in the store carries its id. */
export interface Organisation {
  id: string;
  name: string;
  /** Where the umbrella admins are alerted (escalated vacancies, sessions with no facilitator). */
  alertEmails?: string[];
  createdAt: string;
}
