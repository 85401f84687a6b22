import { UnsecuredJWT } from "jose";
import { describe, expect, it } from "vitest";
import { LocalIdentityProvider } from "#infra/local/local-identity.ts";
import { paths, readRoute } from "../src/route.ts";
import { homePath } from "../src/sign-in/home-path.ts";
import { userFromToken } from "../src/sign-in/signed-in-user.ts";

describe("reading who signed in from an ID token", () => {
  it("reads the role, organisation and groups the local identity provider (as Cognito) puts in it", async () => {
    const provider = await LocalIdentityProvider.create();
    const token = await provider.mint({
      role: "group-coordinator",
      organisationId: "demo",
      groupIds: ["g-1", "g-2"],
      subject: "someone",
    });
    expect(userFromToken(token, "Coordinator of two groups")).toEqual({
      token,
      label: "Coordinator of two groups",
      role: "group-coordinator",
      organisationId: "demo",
      groupIds: ["g-1", "g-2"],
    });
  });

  it("takes the highest role of a user in several Cognito groups, as the server does", () => {
    // Cognito lists a user's groups in no promised order; the server ranks them (token-verifier.ts).
    const token = new UnsecuredJWT({
      "cognito:groups": ["group-coordinator", "umbrella-admin"],
      "custom:organisation": "demo",
      "custom:groups": "g-1",
    }).encode();
    expect(userFromToken(token, "Admin who also coordinates").role).toBe("umbrella-admin");
  });

  it("ignores Cognito groups that are not Convene roles", () => {
    const token = new UnsecuredJWT({
      "cognito:groups": ["Volunteers", "group-coordinator"],
      "custom:organisation": "demo",
    }).encode();
    expect(userFromToken(token, "Coordinator").role).toBe("group-coordinator");
    const none = new UnsecuredJWT({
      "cognito:groups": ["Volunteers"],
      "custom:organisation": "demo",
    }).encode();
    expect(() => userFromToken(none, "Nobody")).toThrow("the token names no role or organisation");
  });

  it("refuses a token that names no organisation", async () => {
    const provider = await LocalIdentityProvider.create();
    const token = await provider.mint({ role: "platform-admin", subject: "root" });
    expect(() => userFromToken(token, "Platform admin")).toThrow("the token names no role or organisation");
  });
});

describe("the dashboard's addresses", () => {
  it("sends an umbrella admin to the overview and a coordinator to their first group", () => {
    const user = { token: "t", label: "l", organisationId: "demo" };
    expect(homePath({ ...user, role: "umbrella-admin", groupIds: [] })).toBe("/organisations/demo");
    expect(homePath({ ...user, role: "group-coordinator", groupIds: ["g-2", "g-3"] })).toBe(
      "/organisations/demo/groups/g-2",
    );
  });

  it("reads back every address it writes", () => {
    for (const tab of ["sessions", "members", "votes", "roles", "activity"] as const)
      expect(readRoute(paths.group("demo", "g 1/x", tab))).toEqual({
        page: "group",
        organisationId: "demo",
        groupId: "g 1/x",
        tab,
      });
    expect(readRoute(paths.overview("demo"))).toEqual({ page: "overview", organisationId: "demo" });
    expect(readRoute(paths.signIn)).toEqual({ page: "sign-in" });
    expect(readRoute("/")).toEqual({ page: "home" });
  });

  it("knows no other page", () => {
    for (const path of [
      "/organisations",
      "/organisations/demo/groups",
      "/organisations/demo/groups/g/nope",
      "/x",
    ])
      expect(readRoute(path)).toEqual({ page: "not-found" });
  });
});
