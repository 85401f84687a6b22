import type { EventHandler } from "#bus/bus-event.ts";
import type { Ports } from "#ports/ports.ts";
import { planTrainingReminder, remindTrainingExpiry } from "#use-cases/roles/remind-training-expiry.ts";

/**
 * A member's training is about to expire → they are reminded once, 30 days ahead, with the
 * roles of theirs that need it.
 * - TrainingRecorded: the reminder of the member's latest record of that training is planned.
 * - TrainingExpiryDue: the member is reminded unless the training was renewed or has expired.
 */
export const createRemindTrainingExpiry =
  (
    ports: Pick<Ports, "store" | "roles" | "scheduler" | "mailer" | "clock" | "log" | "settings">,
  ): EventHandler =>
  async (event) => {
    const place = { organisationId: event.organisationId, groupId: event.groupId };
    if (event.type === "TrainingRecorded") {
      const planned = await planTrainingReminder(ports, place, event.data, event.correlationId);
      ports.log.info("training reminder planned", { trainingId: event.data.trainingId, ...planned });
      return;
    }
    if (event.type === "TrainingExpiryDue") {
      const reminded = await remindTrainingExpiry(ports, place, event.data);
      ports.log.info("training reminder due", { trainingId: event.data.trainingId, ...reminded });
    }
  };
