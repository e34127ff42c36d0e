// Bucket handlers: list, insert, get, delete.
import { badRequest } from './errors';
import { readJsonBody, sendEmpty, sendJson, type Exchange } from './http';
import type { JsonObject } from './json';
import type { BucketParams } from './paths';
import { optionalString } from './query';
import { bucketResource, stringMap, type BucketRecord } from './records';

export async function listBuckets(x: Exchange): Promise<void> {
  const items = x.store.listBuckets(optionalString(x.query, 'project')).map((b) => bucketResource(b, x.base));
  sendJson(x.res, 200, { kind: 'storage#buckets', items });
}

export async function insertBucket(x: Exchange): Promise<void> {
  const body = await readJsonBody(x);
  const project = x.query.get('project');
  if (!project) throw badRequest('Required parameter: project');
  const record = await x.store.createBucket(newBucket(body, project, new Date().toISOString()));
  sendJson(x.res, 200, bucketResource(record, x.base));
}

export async function getBucket(x: Exchange, { bucket }: BucketParams): Promise<void> {
  sendJson(x.res, 200, bucketResource(x.store.getBucket(bucket), x.base));
}

export async function deleteBucket(x: Exchange, { bucket }: BucketParams): Promise<void> {
  await x.store.deleteBucket(bucket);
  sendEmpty(x.res, 204);
}

/** The record a buckets.insert body asks for; the store checks the name. */
function newBucket(body: JsonObject, project: string, now: string): BucketRecord {
  if (typeof body.name !== 'string') throw badRequest('Required field: name (the bucket name).');
  return {
    name: body.name,
    project,
    location: typeof body.location === 'string' ? body.location.toUpperCase() : 'US',
    storageClass: typeof body.storageClass === 'string' ? body.storageClass : 'STANDARD',
    labels: body.labels === undefined ? {} : stringMap(body.labels, 'labels'),
    timeCreated: now,
    updated: now,
    metageneration: 1,
  };
}
