// Public API of spec loading and validation.
export { loadSpec, parseSpec } from './loadSpec';
export { metricLogName, reportedNames } from './metricNames';
export { specSchema } from './schema';
export { findSpecProblem, problemLocation, type SpecProblem } from './specProblems';
