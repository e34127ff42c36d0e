import { test } from 'node:test';
import { set, specErrorOf, unset } from './helpers';

test('negative and zero epochs name the value, path and allowed range', () => {
  specErrorOf(set('fit.epochs', -1), 'Invalid value -1 for fit.epochs', /line \d+, column \d+/, 'allowed: epochs >= 1 (a whole number)');
  specErrorOf(set('fit.epochs', 0), 'Invalid value 0 for fit.epochs', 'epochs >= 1');
});

test('a dropout rate outside [0, 1) is rejected with its range', () => {
  specErrorOf(set('model.layers[2].rate', 1.5), 'Invalid value 1.5 for model.layers[2].rate', 'allowed: 0 <= rate < 1');
  specErrorOf(set('model.layers[2].rate', 1), 'Invalid value 1 for model.layers[2].rate', '0 <= rate < 1');
  specErrorOf(set('model.layers[2].rate', -0.1), 'Invalid value -0.1', '0 <= rate < 1');
});

test('batch size, validation split and learning rate have ranges', () => {
  specErrorOf(set('fit.batchSize', 0), 'Invalid value 0 for fit.batchSize', 'batchSize >= 1');
  specErrorOf(set('fit.validationSplit', 1), 'Invalid value 1 for fit.validationSplit', '0 <= validationSplit < 1');
  specErrorOf(set('fit.validationSplit', -0.5), 'fit.validationSplit', '0 <= validationSplit < 1');
  specErrorOf(set('compile.optimizer', { type: 'adam', learningRate: 0 }), 'Invalid value 0 for compile.optimizer.learningRate', 'learningRate > 0');
  specErrorOf(set('compile.optimizer', { type: 'sgd', learningRate: -0.01 }), 'Invalid value -0.01', 'learningRate > 0');
});

test('layer sizes must be positive whole numbers', () => {
  specErrorOf(set('model.layers[1].units', 0), 'model.layers[1].units', 'units >= 1');
  specErrorOf(set('model.layers[0].inputShape', [28, 0]), 'model.layers[0].inputShape[1]', 'each value of model.layers[0].inputShape');
  specErrorOf(set('model.layers[1]', { type: 'conv2d', filters: 8, kernelSize: [3] }), 'model.layers[1].kernelSize', 'exactly 2');
  specErrorOf(set('model.layers[1]', { type: 'conv2d', filters: 8, kernelSize: 0 }), 'model.layers[1].kernelSize', 'kernelSize >= 1');
});

test('data options have ranges too', () => {
  specErrorOf(set('data.subset', { train: 0 }), 'Invalid value 0 for data.subset.train', 'train >= 1');
  specErrorOf(set('data', { type: 'imageFolder', train: 'x', imageSize: [28, 28], channels: 2 }), 'Invalid value 2 for data.channels', 'allowed: 1, 3');
});

test('rules across fields: inputShape only first, one kind of validation, early stopping monitor', () => {
  specErrorOf(set('model.layers[1].inputShape', [784]), 'model.layers[1].inputShape', 'only allowed on the first layer');
  specErrorOf(set('model.layers[1].name', 'hidden layer'), 'model.layers[1].name', '"hidden layer"', 'letters, digits');
  specErrorOf([set('model.layers[1].name', 'hidden'), set('model.layers[3].name', 'hidden')], "model.layers[3].name (line", "'hidden' is already the name of model.layers[1]");
  specErrorOf([set('fit.validationSplit', 0.1), set('fit.validationData', 'test')], 'fit.validationSplit and fit.validationData', 'keep one');
  specErrorOf([set('fit.validationSplit', 0.1), set('earlyStopping', { monitor: 'val_accuracy' })], "Unknown earlyStopping.monitor 'val_accuracy'", "did you mean 'val_acc'?");
  specErrorOf([unset('fit.validationSplit'), set('earlyStopping', { patience: 2 })], "monitor 'val_loss'", 'needs validation data', "monitor 'loss'");
  specErrorOf(set('compile.optimizer', { type: 'adam', momentum: 0.9 }), 'compile.optimizer.momentum', "'momentum' and 'rmsprop'");
});
