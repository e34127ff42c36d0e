// The exact protobuf size of a PredictRequest, computed without encoding it,
// so a payload over Vertex AI's 1.5 MB limit is refused before it is sent.
// A number costs 9 bytes on the wire whatever its JSON length.

export const MAX_PREDICT_BYTES = 1.5 * 1024 * 1024;

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

/** A length-delimited field: tag + length + body. */
function delimited(bodyBytes: number): number {
  return 1 + varintSize(bodyBytes) + bodyBytes;
}

/** Encoded size of a google.protobuf.Value holding `value`. */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined) return 2;
  if (typeof value === 'number') return 9;
  if (typeof value === 'boolean') return 2;
  if (typeof value === 'string') return delimited(Buffer.byteLength(value));
  if (Array.isArray(value)) {
    let list = 0;
    for (const item of value) list += delimited(valueSize(item));
    return delimited(list);
  }
  if (ArrayBuffer.isView(value)) {
    const count = (value as unknown as ArrayLike<number>).length ?? 0;
    return delimited(count * delimited(9));
  }
  if (typeof value === 'object') {
    let struct = 0;
    for (const [key, item] of Object.entries(value)) {
      struct += delimited(delimited(Buffer.byteLength(key)) + delimited(valueSize(item)));
    }
    return delimited(struct);
  }
  return 2;
}

export function predictRequestSize(endpoint: string, instances: readonly unknown[], parameters?: unknown): number {
  let size = delimited(Buffer.byteLength(endpoint));
  for (const instance of instances) size += delimited(valueSize(instance));
  if (parameters !== undefined) size += delimited(valueSize(parameters));
  return size;
}
