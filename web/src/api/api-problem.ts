export interface FieldError {
  field: string;
  message: string;
}

/** An API answer that is not a success: RFC 9457 problem details, with field errors for a bad request. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
  ) {
    super(title);
  }

  /** The message for one field (`venue.name`, `reminders.0.offsetMinutes`), if the API named it. */
  fieldError(field: string): string | undefined {
    return this.errors.find((e) => e.field === field)?.message;
  }
}

export const problemFrom = async (response: Response): Promise<ApiProblem> => {
  const type = response.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    const body = (await response.json().catch(() => ({}))) as Partial<{
      title: string;
      detail: string;
      errors: FieldError[];
    }>;
    return new ApiProblem(
      response.status,
      body.title ?? response.statusText,
      body.detail,
      Array.isArray(body.errors) ? body.errors : [],
    );
  }
  return new ApiProblem(response.status, response.statusText || `The server answered ${response.status}`);
};
