// Public API of model building.
export { buildModel, type BuildInfo } from './build-model';
export { compileModel, createOptimizer, defaultLearningRates, isCompiled } from './compile';
export type { ModelModuleInfo } from './user-module';
