import type { Ports } from "#ports/ports.ts";
import { portNeeds, type FunctionName } from "./port-needs.ts";

/** What every function's composition root gives, whatever its needs. */
const everyFunctionHas = ["clock", "log"];

/**
 * The ports `name` has on Lambda, out of a runtime that has them all (the local one). Touching
 * any other throws, naming the port (a non-enumerable getter, so spreading the ports copies
 * only the function's own, as on AWS). The local platform serves each function's routes
 * through these, so a route that reaches a port its function lacks on AWS (the API sending
 * email, say) fails in every local test instead of on AWS alone.
 */
export const portsOf = (ports: Ports, name: FunctionName): Ports => {
  const given = new Set<string>([...portNeeds[name], ...everyFunctionHas]);
  const narrowed = {} as Ports;
  for (const [key, port] of Object.entries(ports))
    Object.defineProperty(
      narrowed,
      key,
      given.has(key)
        ? { value: port, enumerable: true }
        : {
            enumerable: false,
            get: () => {
              throw new Error(`the ${name} function has no ${key} port on AWS (functions/port-needs.ts)`);
            },
          },
    );
  return narrowed;
};
