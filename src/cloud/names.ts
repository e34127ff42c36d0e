// MODEL and ENDPOINT arguments take a full resource name or just an ID, as
// gcloud's do; IDs are completed with the configured project and region.
import { UserError } from '../shared/errors';
import { parentOf, type CloudConfig } from './config';

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

function resourceName(config: CloudConfig, collection: 'models' | 'endpoints', value: string, allowVersion: boolean): string {
  const text = value.trim();
  const full = new RegExp(`^projects/[^/]+/locations/[^/]+/${collection}/[^/@]+${allowVersion ? '(@[^/@]+)?' : ''}$`);
  if (full.test(text)) return text;
  const [id, version, extra] = text.split('@');
  if (!ID.test(id) || extra !== undefined || (version !== undefined && (!allowVersion || !ID.test(version)))) {
    const what = collection === 'models' ? 'a model' : 'an endpoint';
    const example = collection === 'models' ? 'projects/P/locations/R/models/ID[@VERSION]' : 'projects/P/locations/R/endpoints/ID';
    throw new UserError(`"${value}" is not ${what} ID or resource name: use an ID such as 1234567890 or ${example}`);
  }
  return `${parentOf(config)}/${collection}/${text}`;
}

/** projects/P/locations/R/models/ID[@VERSION] from a name or an ID (with optional @VERSION). */
export function modelResourceName(config: CloudConfig, value: string): string {
  return resourceName(config, 'models', value, true);
}

export function endpointResourceName(config: CloudConfig, value: string): string {
  return resourceName(config, 'endpoints', value, false);
}

/** The last segment of a resource name: its ID (with @VERSION for model versions). */
export function idOf(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

/** A model name without its @VERSION. */
export function withoutVersion(name: string): string {
  return name.split('@')[0];
}
