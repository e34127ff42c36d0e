// Entry of dist/sweeps.js: the core sweep runner (the CLI's own) and the
// best-values spec writer. Loaded with require() at the first sweep command,
// never at activation: they validate specs with ajv and the schema, which stay
// out of dist/extension.js.
export { SweepRunner } from '../../core/sweep/sweepRunner';
export { writeBestSpec } from '../../core/sweep/bestSpec';
