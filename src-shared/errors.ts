/**
 * Errors that cross the IPC boundary. Main throws an AppError; the transport serialises it as
 * `{ ok: false, error }`; the renderer's API wrapper rethrows it as an AppError again, so a screen
 * can branch on `code` and show `message` as is. Messages are written for the agent: what went wrong
 * and what to do next.
 */
export const ERROR_CODES = [
  'invalid_input', // the input failed validation; `field` names the field
  'invalid_key', // the API key was refused by Postscript (401/403) or is malformed
  'public_key', // a pk_ key was given where a private sk_ key is needed
  'unreachable', // Postscript (or the Sandbox) could not be reached
  'rate_limited', // Postscript answered 429 / error_code 3002
  'postscript_error', // any other error answer from Postscript
  'not_found',
  'conflict',
  'secret_unavailable', // a stored secret cannot be decrypted in this shell
  'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface AppErrorData {
  code: ErrorCode;
  message: string;
  /** The input field the error is about, when there is one (for inline form errors). */
  field?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.field = field;
  }

  toData(): AppErrorData {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }

  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.field);
  }
}

export function isAppErrorData(value: unknown): value is AppErrorData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.message === 'string' &&
    typeof v.code === 'string' &&
    (ERROR_CODES as readonly string[]).includes(v.code)
  );
}
