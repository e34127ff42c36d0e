// Entry of dist/specCheck.js: the trainer's own spec validation (strict JSON,
// the schema through ajv, the cross-field rules) for the editor's diagnostics.
// Loaded with require() at the first check of a *.train.json, never at
// activation: ajv and the schema stay out of dist/extension.js.
export { findSpecProblem, type SpecProblem } from '../../core/spec/specProblems';
