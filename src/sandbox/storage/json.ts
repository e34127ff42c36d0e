// JSON from clients arrives as `unknown`; this guard is how a value becomes
// an object whose fields the handlers may read (each field still `unknown`).

export type JsonObject = { [key: string]: unknown };

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
