import type { Principal } from "#access/principal.ts";

/** What the bearer middleware leaves for handlers: the verified caller. */
export type ApiEnv = { Variables: { principal: Principal } };
