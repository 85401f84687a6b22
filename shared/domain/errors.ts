/** Failures a user can cause; mapped once to problem+json at the API edge. */
export class DomainError extends Error {
  constructor(
    readonly kind: "not-found" | "conflict" | "invalid" | "forbidden",
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError("not-found", `${what} was not found`);
export const conflict = (message: string) => new DomainError("conflict", message);
export const invalid = (field: string, message: string) => new DomainError("invalid", message, field);
