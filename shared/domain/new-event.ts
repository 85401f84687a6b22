import type { EventOf, EventType } from "#events/catalogue.ts";
import { newId } from "./ids.ts";

/** Builds an event envelope; the correlation id follows a chain of events from its first cause. */
export const newEvent = <K extends EventType>(
  type: K,
  scope: { organisationId: string; groupId: string; correlationId?: string },
  data: EventOf<K>["data"],
  now: Date,
): EventOf<K> => {
  const id = newId();
  return {
    id,
    type,
    organisationId: scope.organisationId,
    groupId: scope.groupId,
    occurredAt: now.toISOString(),
    correlationId: scope.correlationId ?? id,
    schemaVersion: 1,
    data,
  } as EventOf<K>;
};
