// The Vertex AI v1 protos, loaded from the protos.json that
// @google-cloud/aiplatform ships, so the sandbox speaks exactly the wire format
// of the client library it will be tested with.
import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';

export const V1 = 'google.cloud.aiplatform.v1';

/** How request messages become plain objects for the handlers. */
const TO_OBJECT: protobuf.IConversionOptions = {
  longs: Number,
  enums: String,
  defaults: false,
  arrays: true,
  objects: true,
  oneofs: true,
};

let cachedRoot: protobuf.Root | undefined;

/** The aiplatform root, plus google.rpc.ErrorInfo (absent from that bundle). */
export function protoRoot(): protobuf.Root {
  if (cachedRoot) return cachedRoot;
  // require, not import: TypeScript would type-check 4 MB of JSON; esbuild
  // still bundles it (the client library bundles the same file).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const json = require('@google-cloud/aiplatform/build/protos/protos.json') as protobuf.INamespace;
  const root = protobuf.Root.fromJSON(json);
  (root.lookup('google.rpc') as protobuf.Namespace).add(
    new protobuf.Type('ErrorInfo')
      .add(new protobuf.Field('reason', 1, 'string'))
      .add(new protobuf.Field('domain', 2, 'string'))
      .add(new protobuf.MapField('metadata', 3, 'string', 'string')),
  );
  root.resolveAll();
  cachedRoot = root;
  return root;
}

export function messageType(name: string): protobuf.Type {
  return protoRoot().lookupType(name);
}

export type ProtoObject = Record<string, unknown>;

const WIRE_SIZE = Symbol('wireSize');

/** Bytes the request had on the wire (set by the service definitions below). */
export function wireSize(request: ProtoObject): number {
  return (request as { [WIRE_SIZE]?: number })[WIRE_SIZE] ?? 0;
}

export function encodeMessage(typeName: string, value: ProtoObject): Buffer {
  const type = messageType(typeName);
  return Buffer.from(type.encode(type.fromObject(value)).finish());
}

export function decodeMessage(typeName: string, bytes: Uint8Array): ProtoObject {
  const type = messageType(typeName);
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

/** A google.protobuf.Any holding `value` encoded as `typeName` (its fields keep their proto names). */
export function packAny(typeName: string, value: ProtoObject): { type_url: string; value: Buffer } {
  return { type_url: `type.googleapis.com/${typeName}`, value: encodeMessage(typeName, value) };
}

/** Response and metadata message types of a long-running method, from its operation_info option. */
export function operationTypes(serviceName: string, methodName: string): { response: string; metadata: string } {
  const method = protoRoot().lookupService(serviceName).methods[methodName];
  const options = method?.options ?? {};
  const qualify = (name: unknown): string => {
    const text = String(name);
    return text.includes('.') ? text : `${serviceName.slice(0, serviceName.lastIndexOf('.'))}.${text}`;
  };
  return {
    response: qualify(options['(google.longrunning.operation_info).response_type']),
    metadata: qualify(options['(google.longrunning.operation_info).metadata_type']),
  };
}

/** A grpc-js service definition for every unary method of a proto service. */
export function serviceDefinition(serviceName: string): grpc.ServiceDefinition {
  const service = protoRoot().lookupService(serviceName);
  const definition: Record<string, grpc.MethodDefinition<ProtoObject, ProtoObject>> = {};
  for (const method of service.methodsArray) {
    if (method.requestStream || method.responseStream) continue;
    method.resolve();
    const request = method.resolvedRequestType;
    const response = method.resolvedResponseType;
    if (!request || !response) continue;
    definition[method.name] = {
      path: `/${serviceName}/${method.name}`,
      requestStream: false,
      responseStream: false,
      requestSerialize: (value: ProtoObject) => Buffer.from(request.encode(request.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => {
        const value = request.toObject(request.decode(bytes), TO_OBJECT);
        Object.defineProperty(value, WIRE_SIZE, { value: bytes.length });
        return value;
      },
      responseSerialize: (value: ProtoObject) => Buffer.from(response.encode(response.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), TO_OBJECT),
    };
  }
  return definition;
}
