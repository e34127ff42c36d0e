// Rules the schema cannot express: they involve more than one field.
import { UserError } from '../../shared/errors';
import { isModuleModel, type TrainingSpec } from '../../shared/spec';
import { locationSuffix } from './jsonLocation';
import { reportedNames } from './metricNames';
import { firstSearchProblem } from './searchChecks';
import { suggestion } from './suggest';

export function checkSpecRules(spec: TrainingSpec, file: string): void {
  const fail = (message: string): never => {
    throw new UserError(`${file}: ${message}`);
  };
  if (!isModuleModel(spec.model)) {
    const names = new Map<string, number>();
    spec.model.layers.forEach((layer, index) => {
      if (layer.name !== undefined) {
        const first = names.get(layer.name);
        if (first !== undefined) {
          const where = locationSuffix(spec, ['model', 'layers', index, 'name']);
          fail(`model.layers[${index}].name${where} '${layer.name}' is already the name of model.layers[${first}]; layer names must be unique`);
        }
        names.set(layer.name, index);
      }
      if (index > 0 && layer.inputShape !== undefined) {
        const path = ['model', 'layers', index, 'inputShape'];
        fail(`model.layers[${index}].inputShape${locationSuffix(spec, path, true)} is only allowed on the first layer; remove it`);
      }
    });
  }
  const optimizer = spec.compile.optimizer;
  if (typeof optimizer === 'object' && optimizer.momentum !== undefined && optimizer.type !== 'momentum' && optimizer.type !== 'rmsprop') {
    const where = locationSuffix(spec, ['compile', 'optimizer', 'momentum'], true);
    fail(`compile.optimizer.momentum${where} has no effect on '${optimizer.type}'; it applies to 'momentum' and 'rmsprop': remove it or change the type`);
  }
  const { validationSplit, validationData } = spec.fit;
  if (validationSplit !== undefined && validationSplit > 0 && validationData !== undefined) {
    const where = locationSuffix(spec, ['fit', 'validationData'], true);
    fail(`fit.validationSplit and fit.validationData${where} are both set; keep one (a held-out fraction or the test split)`);
  }
  if (spec.earlyStopping) {
    const monitor = spec.earlyStopping.monitor ?? 'val_loss';
    const validating = (validationSplit ?? 0) > 0 || validationData !== undefined;
    const where = locationSuffix(spec, spec.earlyStopping.monitor === undefined ? ['earlyStopping'] : ['earlyStopping', 'monitor']);
    const known = reportedNames(spec.compile, true);
    if (!known.includes(monitor)) {
      // Keras 2.3+ says 'accuracy' where TF.js says 'acc'.
      const alias = monitor.replace(/accuracy$/, 'acc');
      const hint = known.includes(alias) ? `did you mean '${alias}'? (TF.js reports accuracy as 'acc')` : suggestion(monitor, known, 'values');
      fail(`Unknown earlyStopping.monitor '${monitor}'${where}; ${hint}`);
    }
    if (monitor.startsWith('val_') && !validating) {
      fail(
        `earlyStopping.monitor '${monitor}'${where} needs validation data; set fit.validationSplit (e.g. 0.1) or fit.validationData "test", or monitor '${monitor.slice(4)}'`,
      );
    }
  }
  const search = firstSearchProblem(spec);
  if (search) fail(search.render(locationSuffix(spec, search.path, search.atKey)));
}
