// google.protobuf.Value <-> plain JSON values. The library's helpers.toValue
// and fromValue handle only objects, while TF.js instances and predictions
// are lists and numbers.

/** google.protobuf.Value as protobufjs builds and reads it. */
export interface ProtoValue {
  kind?: string;
  nullValue?: string | number | null;
  numberValue?: number;
  stringValue?: string;
  boolValue?: boolean;
  structValue?: { fields?: Record<string, ProtoValue> } | null;
  listValue?: { values?: ProtoValue[] } | null;
}

export type JsonValue = null | number | string | boolean | JsonValue[] | { [key: string]: JsonValue };

export function toProtoValue(value: unknown): ProtoValue {
  if (value === null || value === undefined) return { nullValue: 'NULL_VALUE' };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  if (Array.isArray(value)) return { listValue: { values: value.map(toProtoValue) } };
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return { listValue: { values: Array.from(value as unknown as ArrayLike<number>, (n) => ({ numberValue: Number(n) })) } };
  }
  if (typeof value === 'object') {
    const fields: Record<string, ProtoValue> = {};
    for (const [key, item] of Object.entries(value)) fields[key] = toProtoValue(item);
    return { structValue: { fields } };
  }
  throw new TypeError(`cannot convert a ${typeof value} to google.protobuf.Value`);
}

export function fromProtoValue(value: ProtoValue | null | undefined): JsonValue {
  if (!value) return null;
  const kind = value.kind ?? Object.keys(value).find((key) => key.endsWith('Value') && value[key as keyof ProtoValue] != null);
  switch (kind) {
    case 'numberValue':
      return Number(value.numberValue);
    case 'stringValue':
      return String(value.stringValue);
    case 'boolValue':
      return Boolean(value.boolValue);
    case 'listValue':
      return (value.listValue?.values ?? []).map(fromProtoValue);
    case 'structValue': {
      const out: Record<string, JsonValue> = {};
      for (const [key, item] of Object.entries(value.structValue?.fields ?? {})) out[key] = fromProtoValue(item);
      return out;
    }
    default:
      return null;
  }
}
