// The route table: API, resource path and method -> the handler, which gets
// the parameters of that path typed (a bucket name, or a bucket and an object).
import { deleteBucket, getBucket, insertBucket, listBuckets } from './buckets';
import type { GcsError } from './errors';
import { notSupported, type Exchange } from './http';
import { sendMedia } from './media';
import { deleteObject, getObject, listObjects, patchObject } from './objects';
import type { Api, Resource, ResourceParams, Target } from './paths';
import { cancelUpload, putUploadChunk, sessionId, startUpload } from './uploads';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

export type Handler<P> = (x: Exchange, params: P) => Promise<void>;

type MethodTable<P> = Partial<Record<Method, Handler<P>>>;
export type RouteTable = Record<Api, { [R in Resource]?: MethodTable<ResourceParams[R]> }>;

export const ROUTES: RouteTable = {
  json: {
    buckets: { GET: listBuckets, POST: insertBucket }, //        /storage/v1/b
    bucket: { GET: getBucket, DELETE: deleteBucket }, //         /storage/v1/b/{bucket}
    objects: { GET: listObjects }, //                            /storage/v1/b/{bucket}/o
    object: { GET: getObject, PATCH: patchObject, DELETE: deleteObject }, // .../o/{object}
  },
  upload: {
    objects: { POST: startUpload, PUT: putUploadChunk, DELETE: cancelUpload }, // /upload/storage/v1/b/{bucket}/o
  },
  download: {
    object: { GET: sendMedia }, //                               /download/storage/v1/b/{bucket}/o/{object}
  },
};

/** Runs the handler `ROUTES` names for this request; a 501 when there is none. */
export async function dispatch(x: Exchange, method: string, target: Target, pathname: string): Promise<void> {
  const handler = isMethod(method) ? routeFor(target, method) : undefined;
  if (!handler) throw unsupported(x, method, target, pathname);
  await handler(x);
}

// Generic in the resource, so the handler found and the params it gets are
// known to belong to the same kind of path, without a cast.
function routeFor<R extends Resource>(
  target: { api: Api; resource: R; params: ResourceParams[R] },
  method: Method,
): ((x: Exchange) => Promise<void>) | undefined {
  const handler = ROUTES[target.api][target.resource]?.[method];
  return handler && ((x) => handler(x, target.params));
}

function isMethod(method: string): method is Method {
  return METHODS.some((m) => m === method);
}

function unsupported(x: Exchange, method: string, target: Target, pathname: string): GcsError {
  if (target.api !== 'upload') return notSupported(method, pathname);
  if (target.resource !== 'objects') return notSupported(method, `upload to ${target.resource}`);
  return notSupported(method, sessionId(x.query) ? 'resumable session' : 'upload');
}
