import { Hono, type Context } from "hono";
import { DomainError } from "#domain/errors.ts";
import { InvalidRoleLink, verifyRoleLink, type RoleLinkAction } from "#links/role-link.ts";
import { esc } from "#messages/email-kit/html-safety.ts";
import type { Ports } from "#ports/ports.ts";
import { answerRole, type RoleAnswerOutcome } from "#use-cases/roles/answer-role.ts";
import { getRoleView } from "#use-cases/roles/role-holders.ts";
import { deadLinkPage, type DeadLink } from "./dead-link.ts";
import { memberPage } from "./member-page.ts";

const asks: Record<RoleLinkAction, (role: string) => string> = {
  volunteer: (role) => `Volunteer for ${role}?`,
  accept: (role) => `Take on ${role}?`,
  decline: (role) => `Pass ${role} to the next member?`,
  object: (role) => `Object to the volunteer for ${role}?`,
};

const answered: Partial<Record<RoleAnswerOutcome, string>> = {
  volunteered: "Thank you for volunteering. We'll email you when the group has decided.",
  "already-volunteered": "You had already volunteered. Thank you.",
  accepted: "Thank you: the role is yours. A welcome email is on its way.",
  declined: "Thank you for letting us know. We'll ask the next member.",
  objected: "Your objection is recorded. The group will vote instead.",
};

/**
 * The links in role emails (volunteer, accept, decline, object). GET shows what the link will
 * do and asks to confirm (mail scanners follow links, so following one changes nothing); POST,
 * from that page's button, acts with the same use case as a reply.
 */
export const roleLinkRoutes = (ports: Ports) => {
  const load = async (token: string) => {
    try {
      const answer = await verifyRoleLink(token, ports.settings.linkSigningSecret);
      const ref = await ports.roles.resolveRoleReplyToken(answer.roleToken);
      if (!ref) return "gone";
      const role = await getRoleView(ports, ref.organisationId, ref.groupId, ref.roleId);
      return { ref, role, action: answer.action };
    } catch (error) {
      if (error instanceof InvalidRoleLink) return "invalid";
      // The role no longer exists.
      if (error instanceof DomainError && error.kind === "not-found") return "gone";
      throw error;
    }
  };
  const dead = (c: Context, why: DeadLink) =>
    deadLinkPage(c, ports.log, "role", why, "The role it was about no longer exists in the group.");
  const over = () =>
    memberPage(
      "This role has been filled",
      "<p>The question this link answered has closed. Thank you all the same.</p>",
    );

  return new Hono()
    .get("/role-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { role, action, ref } = found;
      if (role.vacantSince !== ref.vacantSince) return c.html(over(), 409);
      const question = asks[action](role.definition.name);
      return c.html(
        memberPage(
          question,
          `<p>${esc(role.definition.description)}</p>
<form method="post" action="?token=${encodeURIComponent(token)}"><button type="submit">Confirm</button></form>`,
        ),
      );
    })
    .post("/role-answer", async (c) => {
      const token = c.req.query("token") ?? "";
      const found = await load(token);
      if (typeof found === "string") return dead(c, found);
      const { ref, action } = found;
      const outcome = await answerRole(ports, ref, { kind: action });
      ports.log.info("role link confirmed", { outcome });
      const thanks = answered[outcome];
      if (thanks) return c.html(memberPage("Thank you", `<p>${esc(thanks)}</p>`));
      if (outcome === "not-a-member")
        return c.html(memberPage("You are no longer in this group", "<p>Nothing has changed.</p>"), 409);
      return c.html(over(), 409);
    });
};
