// Public API of spec loading and validation.
export { loadSpec, parseSpec } from './load-spec';
export { checkModelAgainstData, checkSpecAgainstData, type DataFacts } from './data-checks';
export { metricLogName, reportedNames } from './metric-names';
export { specSchema } from './schema';
