import { asksBySms } from "#domain/sms-question.ts";
import type { Member } from "#domain/member.ts";
import { renderRoleSms } from "#messages/roles/role-sms.ts";
import type { Ports } from "#ports/ports.ts";
import type { VacancyRef } from "#ports/role-store.ts";
import { askBySms } from "./ask-by-sms.ts";
import { deliverOnce } from "./deliver-once.ts";

type Deps = Pick<Ports, "store" | "clock"> & Partial<Pick<Ports, "sms">>;

/**
 * Asks a member about a vacancy by text too, once per purpose and vacancy, when they chose SMS
 * and the function has an SMS sender; the text is kept as the question their answer finds.
 */
export const sendRoleSms = async (
  deps: Deps,
  vacancy: VacancyRef,
  member: Member,
  purpose: "call" | "offer",
  roleName: string,
): Promise<void> => {
  const { sms } = deps;
  if (!sms || !asksBySms(member)) return;
  const { organisationId, groupId, roleId, vacantSince } = vacancy;
  await deliverOnce(
    deps.store,
    organisationId,
    `role-${purpose}-sms#${groupId}#${roleId}#${vacantSince}#${member.id}`,
    deps.clock.now(),
    () =>
      askBySms(
        { ...deps, sms },
        member,
        {
          to: member.phone!,
          body: renderRoleSms(purpose, roleName),
          recipient: { organisationId, groupId, memberId: member.id },
        },
        { kind: purpose, groupId, roleId, vacantSince },
      ),
  );
};
