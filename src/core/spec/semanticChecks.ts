// Rules the schema cannot express: they involve more than one field.
import { isModuleModel, type TrainingSpec } from '../../shared/spec';
import type { JsonPath, PlacedProblem } from './jsonLocation';
import { reportedNames } from './metricNames';
import { firstSearchProblem } from './searchChecks';
import { suggestion } from './suggest';

/** The first rule a schema-valid spec breaks, or undefined. */
export function firstRuleProblem(spec: TrainingSpec): PlacedProblem | undefined {
  const at = (path: JsonPath, atKey: boolean, render: (where: string) => string): PlacedProblem => ({ path, atKey, render });
  if (!isModuleModel(spec.model)) {
    const names = new Map<string, number>();
    for (const [index, layer] of spec.model.layers.entries()) {
      if (layer.name !== undefined) {
        const first = names.get(layer.name);
        if (first !== undefined) {
          return at(
            ['model', 'layers', index, 'name'],
            false,
            (where) => `model.layers[${index}].name${where} '${layer.name}' is already the name of model.layers[${first}]; layer names must be unique`,
          );
        }
        names.set(layer.name, index);
      }
      if (index > 0 && layer.inputShape !== undefined) {
        return at(['model', 'layers', index, 'inputShape'], true, (where) => `model.layers[${index}].inputShape${where} is only allowed on the first layer; remove it`);
      }
    }
  }
  const optimizer = spec.compile.optimizer;
  if (typeof optimizer === 'object' && optimizer.momentum !== undefined && optimizer.type !== 'momentum' && optimizer.type !== 'rmsprop') {
    return at(
      ['compile', 'optimizer', 'momentum'],
      true,
      (where) => `compile.optimizer.momentum${where} has no effect on '${optimizer.type}'; it applies to 'momentum' and 'rmsprop': remove it or change the type`,
    );
  }
  const { validationSplit, validationData } = spec.fit;
  if (validationSplit !== undefined && validationSplit > 0 && validationData !== undefined) {
    return at(['fit', 'validationData'], true, (where) => `fit.validationSplit and fit.validationData${where} are both set; keep one (a held-out fraction or the test split)`);
  }
  if (spec.earlyStopping) {
    const monitor = spec.earlyStopping.monitor ?? 'val_loss';
    const validating = (validationSplit ?? 0) > 0 || validationData !== undefined;
    const path = spec.earlyStopping.monitor === undefined ? ['earlyStopping'] : ['earlyStopping', 'monitor'];
    const known = reportedNames(spec.compile, true);
    if (!known.includes(monitor)) {
      // Keras 2.3+ says 'accuracy' where TF.js says 'acc'.
      const alias = monitor.replace(/accuracy$/, 'acc');
      const hint = known.includes(alias) ? `did you mean '${alias}'? (TF.js reports accuracy as 'acc')` : suggestion(monitor, known, 'values');
      return at(path, false, (where) => `Unknown earlyStopping.monitor '${monitor}'${where}; ${hint}`);
    }
    if (monitor.startsWith('val_') && !validating) {
      return at(
        path,
        false,
        (where) =>
          `earlyStopping.monitor '${monitor}'${where} needs validation data; set fit.validationSplit (e.g. 0.1) or fit.validationData "test", or monitor '${monitor.slice(4)}'`,
      );
    }
  }
  return firstSearchProblem(spec);
}
