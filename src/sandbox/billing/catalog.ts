// A small Cloud Billing Catalog API (v1 services.skus.list) answer for the
// Vertex AI service, served next to the storage sandbox, so reading live
// prices is tested offline. SKUs are shaped as Google sends them: a
// description, a category with the usage type, service regions, and a
// tiered unit price in units + nanos per hour.
import type { IncomingMessage, ServerResponse } from 'node:http';

export const VERTEX_SERVICE_ID = 'C7E2-9256-1C43';
const PAGE_SIZE = 5;
const MAX_PAGE_TOKEN = 1000;

interface SkuSeed {
  description: string;
  usageType: 'OnDemand' | 'Preemptible';
  usdPerHour: number;
}

// Per-unit prices for the Americas regions (vCPU hour, GiB hour, GPU hour).
const SEEDS: SkuSeed[] = [
  { description: 'Vertex AI: Online/Batch Prediction N1 Predefined Instance Core running in Americas', usageType: 'OnDemand', usdPerHour: 0.0379 },
  { description: 'Vertex AI: Online/Batch Prediction N1 Predefined Instance Ram running in Americas', usageType: 'OnDemand', usdPerHour: 0.0051 },
  { description: 'Vertex AI: Online/Batch Prediction E2 Instance Core running in Americas', usageType: 'OnDemand', usdPerHour: 0.0251 },
  { description: 'Vertex AI: Online/Batch Prediction E2 Instance Ram running in Americas', usageType: 'OnDemand', usdPerHour: 0.0034 },
  { description: 'Vertex AI: Online/Batch Prediction N1 Predefined Instance Core running in Americas (Spot)', usageType: 'Preemptible', usdPerHour: 0.0114 },
  { description: 'Vertex AI: Online/Batch Prediction N1 Predefined Instance Ram running in Americas (Spot)', usageType: 'Preemptible', usdPerHour: 0.0015 },
  { description: 'Vertex AI: Online/Batch Prediction NVIDIA Tesla T4 GPU running in Americas', usageType: 'OnDemand', usdPerHour: 0.4025 },
  { description: 'Vertex AI: Online/Batch Prediction NVIDIA Tesla V100 GPU running in Americas', usageType: 'OnDemand', usdPerHour: 2.852 },
  // Custom training has its own SKUs; values differ from the bundled training table so tests can tell them apart.
  { description: 'Vertex AI: Training N1 Predefined Instance Core running in Americas', usageType: 'OnDemand', usdPerHour: 0.0365 },
  { description: 'Vertex AI: Training N1 Predefined Instance Ram running in Americas', usageType: 'OnDemand', usdPerHour: 0.0062 },
  { description: 'Vertex AI: Training E2 Instance Core running in Americas', usageType: 'OnDemand', usdPerHour: 0.0268 },
  { description: 'Vertex AI: Training E2 Instance Ram running in Americas', usageType: 'OnDemand', usdPerHour: 0.0036 },
  { description: 'Vertex AI: Training N1 Predefined Instance Core running in Americas (Spot)', usageType: 'Preemptible', usdPerHour: 0.011 },
  { description: 'Vertex AI: Training N1 Predefined Instance Ram running in Americas (Spot)', usageType: 'Preemptible', usdPerHour: 0.0019 },
  { description: 'Vertex AI: Training NVIDIA Tesla T4 GPU running in Americas', usageType: 'OnDemand', usdPerHour: 0.435 },
  { description: 'Vertex AI: Training NVIDIA Tesla V100 GPU running in Americas', usageType: 'OnDemand', usdPerHour: 2.98 },
];

const AMERICAS = ['us-central1', 'us-east1', 'us-east4', 'us-west1', 'northamerica-northeast1'];

function sku(seed: SkuSeed, index: number): unknown {
  const units = Math.floor(seed.usdPerHour);
  return {
    name: `services/${VERTEX_SERVICE_ID}/skus/SBX-${String(index).padStart(4, '0')}`,
    skuId: `SBX-${String(index).padStart(4, '0')}`,
    description: seed.description,
    category: { serviceDisplayName: 'Vertex AI', resourceFamily: 'Compute', resourceGroup: 'CPU', usageType: seed.usageType },
    serviceRegions: AMERICAS,
    pricingInfo: [
      {
        effectiveTime: '2026-11-01T00:00:00Z',
        pricingExpression: {
          usageUnit: 'h',
          usageUnitDescription: 'hour',
          tieredRates: [{ startUsageAmount: 0, unitPrice: { currencyCode: 'USD', units: String(units), nanos: Math.round((seed.usdPerHour - units) * 1e9) } }],
        },
      },
    ],
  };
}

/** Answers GET /v1/services/{id}/skus; returns false for any other path. */
export function handleBillingCatalog(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
  const match = /^\/v1\/services\/([^/]+)\/skus$/.exec(url.pathname);
  if (!match) return false;
  const send = (status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };
  if (req.method !== 'GET') {
    send(405, { error: { code: 405, message: 'Only GET lists SKUs.', status: 'INVALID_ARGUMENT' } });
    return true;
  }
  if (match[1] !== VERTEX_SERVICE_ID) {
    send(404, { error: { code: 404, message: `Service ${match[1]} is not in the sandbox's catalog; it has Vertex AI (${VERTEX_SERVICE_ID}).`, status: 'NOT_FOUND' } });
    return true;
  }
  const start = Number(url.searchParams.get('pageToken') || '0');
  if (!Number.isInteger(start) || start < 0 || start > MAX_PAGE_TOKEN) {
    send(400, { error: { code: 400, message: 'Invalid page token.', status: 'INVALID_ARGUMENT' } });
    return true;
  }
  const skus = SEEDS.map(sku).slice(start, start + PAGE_SIZE);
  const next = start + PAGE_SIZE < SEEDS.length ? String(start + PAGE_SIZE) : '';
  send(200, { skus, nextPageToken: next });
  return true;
}
