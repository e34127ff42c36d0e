// An error with the HTTP status the serving server answers with. Messages are
// for the caller: they say what was wrong with the request and what to send.
export class PredictError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
