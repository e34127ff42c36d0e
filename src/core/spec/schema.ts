// The JSON Schema of training specs (schemas/train-spec.schema.json, bundled
// into the trainer) and its ajv validators, compiled once on first use.
import Ajv, { type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import schemaJson from '../../../schemas/train-spec.schema.json';

export type SchemaNode = AnySchemaObject;

// The key the schema is registered under; its $refs are `#/definitions/...`.
const schemaId = 'train-spec';

let ajv: Ajv | undefined;
const branchValidators = new WeakMap<SchemaNode, ValidateFunction>();

function getAjv(): Ajv {
  if (!ajv) {
    // verbose: errors carry their schema and data, which the messages need.
    // optimize: false compiles faster (this runs once per trainer start) and validates as fast here.
    ajv = new Ajv({ allErrors: true, verbose: true, strict: true, strictTypes: false, code: { optimize: false } });
    // Editor-only keywords VS Code reads for completion and hover.
    ajv.addVocabulary(['defaultSnippets', 'enumDescriptions', 'markdownDescription']);
    ajv.addSchema(schemaJson as SchemaNode, schemaId);
  }
  return ajv;
}

export function specSchema(): SchemaNode {
  return schemaJson as SchemaNode;
}

/** Validates a whole spec; returns ajv's errors, or [] when it is valid. */
export function validateAgainstSchema(value: unknown): ErrorObject[] {
  const validate = getAjv().getSchema(schemaId);
  if (!validate) throw new Error('train-spec schema did not compile');
  return validate(value) ? [] : [...(validate.errors ?? [])];
}

/** Resolves `{ $ref: '#/definitions/x' }` to the definition; other nodes pass through. */
export function resolveRef(node: SchemaNode): SchemaNode {
  const ref: unknown = node.$ref;
  if (typeof ref !== 'string') return node;
  const found = getAjv().getSchema(ref.startsWith('#') ? `${schemaId}${ref}` : ref);
  if (!found) throw new Error(`unresolved $ref ${ref} in the train-spec schema`);
  return found.schema as SchemaNode;
}

/** Validates `value` against one branch of a oneOf (a $ref or an inline schema). */
export function validateAgainstBranch(branch: SchemaNode, value: unknown): ErrorObject[] {
  let validate = branchValidators.get(branch);
  if (!validate) {
    const ref: unknown = branch.$ref;
    validate =
      typeof ref === 'string' ? getAjv().getSchema(`${schemaId}${ref}`) : getAjv().compile(branch);
    if (!validate) throw new Error(`unresolved $ref ${String(ref)} in the train-spec schema`);
    branchValidators.set(branch, validate);
  }
  return validate(value) ? [] : [...(validate.errors ?? [])];
}
