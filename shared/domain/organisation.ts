/** An umbrella organisation: the tenant. Every key in the store carries its id. */
export interface Organisation {
  id: string;
  name: string;
  createdAt: string;
}
