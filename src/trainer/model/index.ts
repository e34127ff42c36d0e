// Public API of model building.
export { buildModel, type BuildInfo } from './buildModel';
export { compileModel, createOptimizer, defaultLearningRates, isCompiled } from './compile';
export type { ModelModuleInfo } from './userModule';
