// A prediction request file, {"instances": [...], "parameters": {...}}, read as
// specs are: a syntax error names the file, the line and column and what to
// type; a body of the wrong shape names what a request holds.
import { findNodeAtLocation } from 'jsonc-parser';
import { UserError } from '../shared/errors';
import { lineAndColumn } from './spec/jsonLocation';
import { parseJsonTree } from './spec/jsonSyntax';

/** The shape of a request, as messages show it. */
export const PREDICT_REQUEST_SHAPE = '{"instances": [<instance>, ...], "parameters": {...}}';

export interface PredictRequestFile {
  instances: unknown[];
  parameters?: unknown;
}

/** Parses a request file's text; `file` names it in messages (a path as the user knows it). */
export function parsePredictRequest(text: string, file: string): PredictRequestFile {
  const shape = `a prediction request is ${PREDICT_REQUEST_SHAPE}`;
  const root = parseJsonTree(text, file, { noun: 'the request', whenEmpty: `write a prediction request, ${PREDICT_REQUEST_SHAPE}`, shape });
  const at = (offset: number): string => {
    const { line, column } = lineAndColumn(text, offset);
    return `line ${line}, column ${column}`;
  };
  if (root.type !== 'object') throw new UserError(`${file}: expected a JSON object at ${at(root.offset)}, found ${kindOf(root.type)}: ${shape}`);
  const instances = findNodeAtLocation(root, ['instances']);
  if (!instances) throw new UserError(`${file}: no "instances" list in the object at ${at(root.offset)}: ${shape}`);
  if (instances.type !== 'array') throw new UserError(`${file}: "instances" at ${at(instances.offset)} is ${kindOf(instances.type)}, not a list: ${shape}`);
  if (!instances.children?.length) throw new UserError(`${file}: "instances" at ${at(instances.offset)} is empty: add at least one instance (${shape})`);
  // The tree says where things are; plain objects come from JSON.parse, which reads the same strict JSON.
  const body = JSON.parse(text) as { instances: unknown[]; parameters?: unknown };
  return { instances: body.instances, ...(body.parameters !== undefined ? { parameters: body.parameters } : {}) };
}

function kindOf(type: string): string {
  return type === 'array' ? 'a list' : type === 'object' ? 'an object' : type === 'null' ? 'null' : `a ${type}`;
}
