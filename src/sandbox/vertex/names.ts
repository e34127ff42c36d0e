// Resource names as Vertex AI writes them: projects/P/locations/L/..., with a
// model version after "@". Every name and display name is checked here, so a
// handler never stores something the real service would refuse.
import { invalidArgument } from './status';

const PROJECT = /^([a-z][a-z0-9-]{4,28}[a-z0-9]|[0-9]{1,20})$/;
const LOCATION = /^[a-z]+-[a-z]+[0-9]{1,2}$/;
const RESOURCE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const MAX_NAME = 512;
const MAX_DISPLAY_NAME = 128;
const MAX_DESCRIPTION = 8192;
const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const MAX_LABELS = 64;

export interface Parent {
  project: string;
  location: string;
}

export interface ModelRef extends Parent {
  modelId: string;
  /** Version ID or alias after "@", when the name has one. */
  version?: string;
}

export interface EndpointRef extends Parent {
  endpointId: string;
}

export function parentName(parent: Parent): string {
  return `projects/${parent.project}/locations/${parent.location}`;
}

export function modelName(ref: Omit<ModelRef, 'version'>): string {
  return `${parentName(ref)}/models/${ref.modelId}`;
}

export function endpointName(ref: EndpointRef): string {
  return `${parentName(ref)}/endpoints/${ref.endpointId}`;
}

function checkLength(field: string, value: string): void {
  if (value === '') throw invalidArgument(`${field} is required.`);
  if (value.length > MAX_NAME) throw invalidArgument(`${field} is longer than ${MAX_NAME} characters.`);
}

function checkParentParts(field: string, value: string, project: string, location: string): Parent {
  if (!PROJECT.test(project)) throw invalidArgument(`${field} "${value}" has an invalid project ID "${project}".`);
  if (!LOCATION.test(location)) throw invalidArgument(`${field} "${value}" has an invalid location "${location}".`);
  return { project, location };
}

export function parseParent(value: string, field = 'parent'): Parent {
  checkLength(field, value);
  const match = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(value);
  if (!match) throw invalidArgument(`${field} "${value}" must look like projects/PROJECT/locations/LOCATION.`);
  return checkParentParts(field, value, match[1], match[2]);
}

export function parseModelName(value: string, field = 'name'): ModelRef {
  checkLength(field, value);
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/models\/([^/@]+)(?:@([^/@]+))?$/.exec(value);
  if (!match) {
    throw invalidArgument(`${field} "${value}" must look like projects/PROJECT/locations/LOCATION/models/MODEL[@VERSION].`);
  }
  const parent = checkParentParts(field, value, match[1], match[2]);
  return { ...parent, modelId: match[3], version: match[4] };
}

export function parseEndpointName(value: string, field = 'endpoint'): EndpointRef {
  checkLength(field, value);
  const match = /^projects\/([^/]+)\/locations\/([^/]+)\/endpoints\/([^/]+)$/.exec(value);
  if (!match) {
    throw invalidArgument(`${field} "${value}" must look like projects/PROJECT/locations/LOCATION/endpoints/ENDPOINT.`);
  }
  return { ...checkParentParts(field, value, match[1], match[2]), endpointId: match[3] };
}

/** A caller-chosen model or endpoint ID. */
export function checkResourceId(field: string, value: string): void {
  if (!RESOURCE_ID.test(value)) {
    throw invalidArgument(`${field} "${value}" must be 1-63 characters of lowercase letters, digits, "-" or "_", starting with a letter or digit.`);
  }
}

export function checkDisplayName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw invalidArgument(`${field} is required.`);
  if ([...value].length > MAX_DISPLAY_NAME) {
    throw invalidArgument(`${field} is longer than ${MAX_DISPLAY_NAME} characters.`);
  }
  return value;
}

export function checkDescription(field: string, value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || value.length > MAX_DESCRIPTION) {
    throw invalidArgument(`${field} must be a string of at most ${MAX_DESCRIPTION} characters.`);
  }
  return value;
}

export function checkLabels(field: string, value: unknown): Record<string, string> {
  const labels = (value ?? {}) as Record<string, string>;
  const entries = Object.entries(labels);
  if (entries.length > MAX_LABELS) throw invalidArgument(`${field} has more than ${MAX_LABELS} labels.`);
  for (const [key, label] of entries) {
    if (!LABEL_KEY.test(key)) {
      throw invalidArgument(`${field} key "${key}" is invalid: use 1-63 lowercase letters, digits, "_" or "-", starting with a letter.`);
    }
    if (!LABEL_VALUE.test(label)) {
      throw invalidArgument(`${field} value "${label}" of "${key}" is invalid: use at most 63 lowercase letters, digits, "_" or "-".`);
    }
  }
  return { ...labels };
}
