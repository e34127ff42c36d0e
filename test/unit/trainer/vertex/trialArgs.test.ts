// The trainer image's command line (--spec, a trial's --<parameterId>=<value>
// mapped back to spec paths) and the hypertune line format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hypertuneLine } from '../../../../src/trainer/vertex/hypertune';
import { parseTrainerArgs, trialParameters } from '../../../../src/trainer/vertex/trialArgs';
import { mnistSpec } from '../../../helpers/cli';

test('a trial\'s arguments become typed values at their spec paths; unknown ones are named', () => {
  const spec = {
    ...mnistSpec(),
    search: {
      metric: { name: 'val_acc', goal: 'maximize' as const },
      parameters: {
        'model.layers[1].units': { type: 'integer' as const, min: 8, max: 64 },
        'compile.optimizer.learningRate': { type: 'double' as const, min: 0.001, max: 0.1 },
        'compile.optimizer.type': { type: 'categorical' as const, values: ['adam', 'sgd'] },
      },
    },
  };
  const args = parseTrainerArgs(['--spec=gs://b/in/spec.train.json', '--model_layers_1_units=31.9999', '--compile_optimizer_learningRate', '0.01', '--compile_optimizer_type=sgd', '--epochs=3']);
  assert.equal(args.specUri, 'gs://b/in/spec.train.json');
  assert.equal(args.epochs, 3);
  assert.deepEqual(trialParameters(spec, args.values), { 'model.layers[1].units': 32, 'compile.optimizer.learningRate': 0.01, 'compile.optimizer.type': 'sgd' });
  assert.equal(trialParameters(spec, {}), undefined);
  assert.throws(() => trialParameters(spec, { fit_batchSize: '2' }), /--fit_batchSize is not a parameter of the spec's search section \(it has model_layers_1_units, compile_optimizer_learningRate, compile_optimizer_type\)/);
  assert.throws(() => parseTrainerArgs(['--units=3']), /The trainer needs --spec=gs:\/\/BUCKET\/PATH/);
  assert.throws(() => parseTrainerArgs(['spec']), /Unexpected argument 'spec'/);
});

test('a hypertune line is what json.dumps(sort_keys=True) writes', () => {
  assert.equal(hypertuneLine({ val_acc: '0.9771', trial: '3', timestamp: 1764600000.5, global_step: '1875' }), '{"global_step": "1875", "timestamp": 1764600000.5, "trial": "3", "val_acc": "0.9771"}');
});
