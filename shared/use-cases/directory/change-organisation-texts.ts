import { notFound } from "#domain/errors.ts";
import type { Organisation } from "#domain/organisation.ts";
import type { Ports } from "#ports/ports.ts";

/**
 * Whether the organisation's texts name the group and session. Off (the default) they say
 * only when a group meets: a text read over a shoulder names no condition.
 */
export const changeOrganisationTexts = async (
  { store }: Pick<Ports, "store">,
  organisationId: string,
  change: { textsNameGroups: boolean },
): Promise<Organisation> => {
  const stored = await store.getOrganisation(organisationId);
  if (!stored) throw notFound("organisation");
  const { textsNameGroups: _previous, ...rest } = stored;
  const organisation: Organisation = {
    ...rest,
    ...(change.textsNameGroups ? { textsNameGroups: true } : {}),
  };
  await store.replaceOrganisation(organisation);
  return organisation;
};
