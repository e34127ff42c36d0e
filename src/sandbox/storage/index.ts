// Cloud Storage sandbox: a local HTTP server speaking the subset of the GCS
// JSON API that @google-cloud/storage 7 uses, with state on disk.
//
// Public API:
//   startStorageServer({ dataDir, port?, host?, maxObjectBytes?, maxJsonBytes? })
//     -> { url, port, faults, server, close() }
//
// Point the real client at it with either
//   new Storage({ apiEndpoint: server.url, projectId: 'sandbox' })
// or STORAGE_EMULATOR_HOST=<server.url> (the client then drops /storage/v1 on
// JSON calls; both forms are served). No credentials are needed or checked.
//
// Served: buckets insert/get/list/delete (delete of a non-empty bucket: 409);
// objects: media, multipart and resumable uploads (308 + Range, sessions that
// survive restarts), metadata get/patch, downloads (alt=media and mediaLink,
// Range requests) with x-goog-hash crc32c+md5, list with prefix, delimiter,
// maxResults and pageToken, delete; generations and ifGeneration(Not)Match /
// ifMetagenerationMatch preconditions. Errors are GCS JSON errors.
//
// Fault injection: server.faults.add({ method?, path?, status?, delayMs?, times? })
// makes the next matching requests fail (e.g. 503, 403) or wait.
//
// Inside: server.ts (faults, URL limits) -> paths.ts (path -> typed resource)
// -> routes.ts (the route table) -> handlers by resource: buckets.ts,
// objects.ts, uploads.ts (+ multipart.ts, sessions.ts), media.ts. Helpers:
// http.ts (bodies under limits, replies, GCS errors), query.ts, json.ts.
// State: store.ts (buckets and objects on disk), records.ts (their shapes).
export { startStorageServer } from './server';
export type { StorageServer, StorageServerOptions } from './server';
export type { FaultRule } from './faults';
