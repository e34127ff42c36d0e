// Errors in the shape the JSON API returns them, so @google-cloud/storage
// turns them into ApiErrors with the right code, message and reason.

export class GcsError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly reason: string,
  ) {
    super(message);
  }

  toJSON(): { error: { code: number; message: string; errors: { message: string; domain: string; reason: string }[] } } {
    return {
      error: {
        code: this.status,
        message: this.message,
        errors: [{ message: this.message, domain: 'global', reason: this.reason }],
      },
    };
  }
}

export const badRequest = (message: string): GcsError => new GcsError(400, message, 'invalid');
export const notFound = (message: string): GcsError => new GcsError(404, message, 'notFound');
export const conflict = (message: string): GcsError => new GcsError(409, message, 'conflict');
export const preconditionFailed = (message: string): GcsError =>
  new GcsError(412, message, 'conditionNotMet');
export const tooLarge = (message: string): GcsError => new GcsError(413, message, 'uploadTooLarge');
