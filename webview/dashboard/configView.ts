// The run's configuration in a few readable lines: data, model, compile,
// fit, backend. Built from the spec in runStarted (or run.json).

import type { LayerSpec, TrainingSpec } from '../../src/shared/spec';
import { h } from './dom';
import { formatCount } from './format';
import type { RunState } from './runState';

function describeLayer(layer: LayerSpec): string {
  switch (layer.type) {
    case 'dense':
      return `Dense ${layer.units}${layer.activation ? ` ${layer.activation}` : ''}`;
    case 'dropout':
      return `Dropout ${layer.rate}`;
    case 'flatten':
      return 'Flatten';
    case 'conv2d':
      return `Conv2D ${layer.filters} ${[layer.kernelSize].flat().join('×')}${layer.activation ? ` ${layer.activation}` : ''}`;
    case 'depthwiseConv2d':
      return `DepthwiseConv2D ${[layer.kernelSize].flat().join('×')}`;
    case 'maxPooling2d':
    case 'averagePooling2d':
      return `${layer.type === 'maxPooling2d' ? 'MaxPool' : 'AvgPool'} ${[layer.poolSize ?? 2].flat().join('×')}`;
    case 'reshape':
      return `Reshape ${layer.targetShape.join('×')}`;
    case 'activation':
      return layer.activation;
    default:
      return layer.type;
  }
}

/** Rows of [label, value] that summarise a spec. */
export function specSummary(spec: TrainingSpec): [string, string][] {
  const rows: [string, string][] = [];
  const subset = 'subset' in spec.data && spec.data.subset;
  const subsetText = subset ? ` (subset: ${Object.entries(subset).map(([k, v]) => `${k} ${formatCount(v)}`).join(', ')})` : '';
  rows.push(['Data', `${spec.data.type}${subsetText}`]);
  rows.push(['Model', 'module' in spec.model ? `${spec.model.module}${spec.model.export ? `#${spec.model.export}` : ''}` : spec.model.layers.map(describeLayer).join(' → ')]);
  const optimizer = typeof spec.compile.optimizer === 'string' ? spec.compile.optimizer : `${spec.compile.optimizer.type}${spec.compile.optimizer.learningRate !== undefined ? ` (lr ${spec.compile.optimizer.learningRate})` : ''}`;
  rows.push(['Compile', [optimizer, spec.compile.loss, ...(spec.compile.metrics ?? [])].join(' · ')]);
  const fit = spec.fit;
  const fitParts = [`${fit.epochs} epochs`, `batch ${fit.batchSize ?? 32}`];
  if (fit.validationSplit) fitParts.push(`validation split ${fit.validationSplit}`);
  if (fit.validationData) fitParts.push(`validation on ${fit.validationData}`);
  if (fit.seed !== undefined) fitParts.push(`seed ${fit.seed}`);
  rows.push(['Fit', fitParts.join(' · ')]);
  if (spec.earlyStopping) rows.push(['Early stopping', `${spec.earlyStopping.monitor ?? 'val_loss'}, patience ${spec.earlyStopping.patience ?? 0}`]);
  return rows;
}

export function configRows(run: RunState): [string, string][] {
  const spec = run.started?.spec ?? run.record?.spec;
  const rows = spec ? specSummary(spec) : [];
  const data = run.started?.data ?? run.record?.data;
  if (data) {
    const splits = [`train ${formatCount(data.train.count)}`];
    if (data.validation) splits.push(`validation ${formatCount(data.validation.count)}`);
    if (data.test) splits.push(`test ${formatCount(data.test.count)}`);
    rows.push(['Samples', `${splits.join(' · ')} · shape ${data.sampleShape.join('×')}${data.numClasses ? ` · ${data.numClasses} classes` : ''}`]);
  }
  if (run.started) rows.push(['Parameters', formatCount(run.started.parameters)]);
  if (run.record?.specPath) rows.push(['Spec file', run.record.specPath]);
  if (run.record?.createdAt) rows.push(['Started', new Date(run.record.createdAt).toLocaleString()]);
  return rows;
}

export function renderConfig(run: RunState): HTMLElement {
  const rows = configRows(run);
  return h(
    'section',
    { class: 'config', 'data-section': 'config' },
    h('h2', null, 'Configuration'),
    rows.length
      ? h('dl', { class: 'config-list' }, ...rows.flatMap(([label, value]) => [h('dt', null, label), h('dd', null, value)]))
      : h('p', { class: 'muted' }, 'The run has not reported its configuration yet.'),
  );
}
