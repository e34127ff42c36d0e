// Object metadata handlers: list, get (or the bytes, with alt=media), patch, delete.
import { readJsonBody, sendEmpty, sendJson, type Exchange } from './http';
import { sendMedia } from './media';
import type { BucketParams, ObjectParams } from './paths';
import { conditions, optionalInt, optionalString } from './query';
import { objectFields, objectResource } from './records';

export async function listObjects(x: Exchange, { bucket }: BucketParams): Promise<void> {
  const list = x.store.listObjects(bucket, {
    prefix: optionalString(x.query, 'prefix'),
    delimiter: optionalString(x.query, 'delimiter'),
    pageToken: optionalString(x.query, 'pageToken'),
    maxResults: optionalInt(x.query, 'maxResults'),
    startOffset: optionalString(x.query, 'startOffset'),
    endOffset: optionalString(x.query, 'endOffset'),
  });
  sendJson(x.res, 200, {
    kind: 'storage#objects',
    ...(list.items.length ? { items: list.items.map((o) => objectResource(o, x.base)) } : {}),
    ...(list.prefixes.length ? { prefixes: list.prefixes } : {}),
    ...(list.nextPageToken ? { nextPageToken: list.nextPageToken } : {}),
  });
}

export async function getObject(x: Exchange, params: ObjectParams): Promise<void> {
  if (x.query.get('alt') === 'media') return sendMedia(x, params);
  const record = x.store.getObject(params.bucket, params.object, optionalInt(x.query, 'generation'));
  sendJson(x.res, 200, objectResource(record, x.base));
}

export async function patchObject(x: Exchange, { bucket, object }: ObjectParams): Promise<void> {
  const fields = objectFields(await readJsonBody(x));
  sendJson(x.res, 200, objectResource(await x.store.updateObject(bucket, object, fields, conditions(x.query)), x.base));
}

export async function deleteObject(x: Exchange, { bucket, object }: ObjectParams): Promise<void> {
  await x.store.deleteObject(bucket, object, { ...conditions(x.query), generation: optionalInt(x.query, 'generation') });
  sendEmpty(x.res, 204);
}
