// The experiments table's model: which columns it has, how it sorts, filters
// and brushes, which run is best, and the CSV it exports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentRow } from '../../../../src/shared/protocol/experiments';
import { buildColumns, defaultMetric, differingParameters, metricColumn, metricNames, RUN_COLUMNS } from '../../../../webview/experiments/columns';
import { csvField, csvFileName, toCsv } from '../../../../webview/experiments/csv';
import { filterRows, NO_FILTER, parseColumnFilter, type Brush, type RowFilter } from '../../../../webview/experiments/filters';
import { axisFor } from '../../../../webview/experiments/scales';
import { bestRow, DEFAULT_SORT, displayRows, displayShownRows, sortRows } from '../../../../webview/experiments/tableModel';
import { syntheticExperiments, syntheticSweep } from '../../../../webview/harness/syntheticExperiments';

function row(id: string, params: ExperimentRow['params'], metrics: ExperimentRow['metrics'] = {}, extra: Partial<ExperimentRow> = {}): ExperimentRow {
  return { id, name: 'mnist-mlp', status: 'completed', createdAt: `2026-12-01T10:00:0${id.length % 10}.000Z`, epochs: 5, epochsCompleted: 5, params, metrics, ...extra };
}

const runs = [
  row('a', { 'fit.batchSize': 32, 'compile.optimizer.type': 'adam', 'fit.epochs': 5 }, { loss: 0.1, val_acc: 0.97, test_acc: 0.968 }, { createdAt: '2026-12-01T10:00:01Z' }),
  row('b', { 'fit.batchSize': 64, 'compile.optimizer.type': 'adam', 'fit.epochs': 5 }, { loss: 0.08, val_acc: 0.975, test_acc: 0.971 }, { createdAt: '2026-12-01T10:00:02Z' }),
  row('c', { 'fit.batchSize': 128, 'compile.optimizer.type': 'adam', 'fit.epochs': 5 }, { loss: 0.2, val_acc: 0.95 }, { createdAt: '2026-12-01T10:00:03Z', status: 'running' }),
];

function filter(change: Partial<RowFilter>): RowFilter {
  return { ...NO_FILTER, ...change };
}

test('only parameters that differ across the shown runs become columns, in spec order', () => {
  assert.deepEqual(differingParameters(runs), ['fit.batchSize']);
  const columns = buildColumns(runs);
  assert.deepEqual(columns.params.map((c) => c.name), ['fit.batchSize']);
  assert.ok(columns.params[0].numeric);
  // A value only some runs have differs too.
  const withDropout = [...runs, row('d', { 'fit.batchSize': 32, 'compile.optimizer.type': 'adam', 'fit.epochs': 5, 'model.layers[2].rate': 0.2 })];
  assert.deepEqual(differingParameters(withDropout), ['fit.batchSize', 'model.layers[2].rate']);
  // A categorical parameter that differs is a column with string values.
  const sgd = [...runs, row('e', { 'fit.batchSize': 32, 'compile.optimizer.type': 'sgd', 'fit.epochs': 5 })];
  const optimizer = buildColumns(sgd).params.find((c) => c.name === 'compile.optimizer.type');
  assert.equal(optimizer?.numeric, false);
});

test('a sweep’s searched parameters are columns even where every trial agrees so far', () => {
  const rows = syntheticExperiments({ count: 1, sweepId: 's' });
  const columns = buildColumns(rows, syntheticSweep('s', rows));
  assert.deepEqual(columns.params.map((c) => c.name), ['compile.optimizer.learningRate', 'model.layers[1].units', 'model.layers[2].rate', 'fit.batchSize', 'model.layers[1].activation']);
  assert.ok(columns.all.includes(RUN_COLUMNS.trial), 'trial runs get a trial column');
  assert.equal(columns.params[0].log, true, 'the searched log scale is kept');
});

test('metric columns read left to right: last epoch, validation, best epoch, test set; losses are lower-better', () => {
  const names = metricNames([row('x', {}, { test_acc: 1, best_val_acc: 1, val_acc: 1, acc: 1, val_loss: 1, loss: 1, test_loss: 1 })]);
  assert.deepEqual(names, ['loss', 'acc', 'val_loss', 'val_acc', 'best_val_acc', 'test_loss', 'test_acc']);
  assert.equal(metricColumn('val_loss').lowerBetter, true);
  assert.equal(metricColumn('best_val_acc').lowerBetter, false);
  assert.equal(defaultMetric(buildColumns(runs).metrics), 'test_acc');
});

test('a learning rate spanning decades gets a log axis; a batch size does not', () => {
  const rows = [row('a', { 'compile.optimizer.learningRate': 0.0001, 'fit.batchSize': 32 }), row('b', { 'compile.optimizer.learningRate': 0.01, 'fit.batchSize': 128 })];
  const [lr, batch] = buildColumns(rows).params;
  assert.equal(lr.log, true);
  assert.equal(batch.log, false);
  const axis = axisFor(lr, rows);
  assert.equal(axis.kind, 'log');
  assert.ok(Math.abs((axis.position(0.001) ?? NaN) - 0.5) < 1e-9, '1e-3 sits half way between 1e-4 and 1e-2 on a log axis');
  assert.deepEqual(axis.ticks().map((t) => t.label), ['1.0e-4', '2.0e-4', '5.0e-4', '0.001', '0.002', '0.005', '0.01']);
  assert.equal(axisFor(lr, rows, false).position(0.001)?.toFixed(3), '0.091', 'linear when the user turns log off');
});

test('sort by any column: numbers numerically, missing values last in both directions, ties keep their order', () => {
  const columns = buildColumns(runs);
  const testAcc = columns.byId.get('metric:test_acc');
  assert.ok(testAcc);
  assert.deepEqual(sortRows(runs, { column: testAcc, descending: true }).map((r) => r.id), ['b', 'a', 'c']);
  assert.deepEqual(sortRows(runs, { column: testAcc, descending: false }).map((r) => r.id), ['a', 'b', 'c']);
  const batch = columns.byId.get('param:fit.batchSize');
  assert.ok(batch);
  assert.deepEqual(sortRows(runs, { column: batch, descending: true }).map((r) => r.id), ['c', 'b', 'a'], '128 > 64 > 32, not as text');
  assert.deepEqual(sortRows(runs, DEFAULT_SORT).map((r) => r.id), ['c', 'b', 'a'], 'newest first by default');
  assert.deepEqual(sortRows(runs, { column: RUN_COLUMNS.status, descending: false }).map((r) => r.id), ['a', 'b', 'c']);
});

test('the pinned baseline stays on top whatever the sort, even when the filters hide it', () => {
  const columns = buildColumns(runs);
  const loss = columns.byId.get('metric:loss');
  assert.ok(loss);
  assert.deepEqual(displayRows(runs, runs, { column: loss, descending: false }, 'c').map((r) => r.id), ['c', 'b', 'a']);
  assert.deepEqual(displayRows(runs, runs, { column: loss, descending: true }, 'b').map((r) => r.id), ['b', 'c', 'a']);
  const filtered = filterRows(runs, columns.byId, filter({ columns: new Map([['param:fit.batchSize', parseColumnFilter('<100')!]]) }));
  assert.deepEqual(displayRows(filtered, runs, DEFAULT_SORT, 'c').map((r) => r.id), ['c', 'b', 'a']);
  assert.deepEqual(displayRows(filtered, runs, DEFAULT_SORT, 'gone').map((r) => r.id), ['b', 'a'], 'a baseline that is no more is no row');
});

test('a filter change reorders nothing: filtering the whole table, sorted once, gives the rows that sorting the filtered runs gives', () => {
  const many = syntheticExperiments({ count: 400, seed: 3 });
  const columns = buildColumns(many);
  const filtered = filterRows(many, columns.byId, filter({ text: 'relu', brushes: new Map([['param:model.layers[1].units', { min: 50, max: 200 }]]) }));
  assert.ok(filtered.length > 20 && filtered.length < 300, `${filtered.length} runs pass`);
  // Ties (batch sizes, the run column's equal names) keep the runs' own order either way.
  for (const id of ['param:fit.batchSize', 'metric:val_acc', 'run:run', RUN_COLUMNS.created.id]) {
    const column = columns.byId.get(id) ?? RUN_COLUMNS.created;
    for (const descending of [true, false]) {
      const order = { column, descending };
      for (const baseline of [undefined, filtered[5].id, many.find((r) => !filtered.includes(r))?.id]) {
        const expected = displayRows(filtered, many, order, baseline).map((r) => r.id);
        assert.deepEqual(displayShownRows(sortRows(many, order), new Set(filtered), baseline).map((r) => r.id), expected, `${id} ${descending ? 'descending' : 'ascending'}, baseline ${baseline}`);
      }
    }
  }
});

test('column filters: comparisons, ranges, exact numbers and text', () => {
  assert.deepEqual(parseColumnFilter('>0.97'), { kind: 'range', min: 0.97, max: Infinity, minOpen: true, maxOpen: false });
  assert.deepEqual(parseColumnFilter(' <= 64 '), { kind: 'range', min: -Infinity, max: 64, minOpen: false, maxOpen: false });
  assert.deepEqual(parseColumnFilter('0.01..0.001'), { kind: 'range', min: 0.001, max: 0.01, minOpen: false, maxOpen: false });
  assert.deepEqual(parseColumnFilter('1e-3..5e-3'), { kind: 'range', min: 0.001, max: 0.005, minOpen: false, maxOpen: false });
  assert.deepEqual(parseColumnFilter('=32'), { kind: 'range', min: 32, max: 32, minOpen: false, maxOpen: false });
  assert.deepEqual(parseColumnFilter('64'), { kind: 'range', min: 64, max: 64, minOpen: false, maxOpen: false });
  assert.deepEqual(parseColumnFilter('Adam'), { kind: 'text', text: 'adam' });
  assert.equal(parseColumnFilter('   '), undefined);

  const columns = buildColumns(runs);
  const ids = (f: RowFilter): string[] => filterRows(runs, columns.byId, f).map((r) => r.id);
  assert.deepEqual(ids(filter({ columns: new Map([['metric:val_acc', parseColumnFilter('>0.96')!]]) })), ['a', 'b']);
  assert.deepEqual(ids(filter({ columns: new Map([['metric:val_acc', parseColumnFilter('>0.97')!]]) })), ['b'], '> is strict');
  assert.deepEqual(ids(filter({ columns: new Map([['metric:test_acc', parseColumnFilter('>0')!]]) })), ['a', 'b'], 'a run without the value does not pass a range');
  assert.deepEqual(ids(filter({ columns: new Map([['run:status', parseColumnFilter('run')!]]) })), ['c']);
  // Filters combine: every one must pass.
  assert.deepEqual(ids(filter({ columns: new Map([['param:fit.batchSize', parseColumnFilter('32..64')!], ['metric:loss', parseColumnFilter('<0.09')!]]) })), ['b']);
});

test('the text filter finds every word in the name, id, status, trial or a parameter value', () => {
  const columns = buildColumns(runs);
  const ids = (text: string): string[] => filterRows(runs, columns.byId, filter({ text })).map((r) => r.id);
  assert.deepEqual(ids('running'), ['c']);
  assert.deepEqual(ids('ADAM 128'), ['c']);
  assert.deepEqual(ids('mnist'), ['a', 'b', 'c']);
  assert.deepEqual(ids('sgd'), []);
});

test('brushes: numeric ranges and categories, combined with each other and with the filters, and cleared', () => {
  const rows = syntheticExperiments({ count: 300, seed: 3 });
  const columns = buildColumns(rows);
  const lr = columns.byId.get('param:compile.optimizer.learningRate');
  const activation = columns.byId.get('param:model.layers[1].activation');
  assert.ok(lr && activation);
  const lrAxis = axisFor(lr, rows);
  const lrBrush = lrAxis.brush(0.75, 0.25);
  assert.ok('min' in lrBrush && lrBrush.min < lrBrush.max, 'dragging down or up gives the same range');
  const inRange = (r: ExperimentRow): boolean => {
    const v = r.params['compile.optimizer.learningRate'] as number;
    return 'min' in lrBrush && v >= lrBrush.min && v <= lrBrush.max;
  };
  const brushed = filterRows(rows, columns.byId, filter({ brushes: new Map<string, Brush>([[lr.id, lrBrush]]) }));
  assert.ok(brushed.length > 0 && brushed.length < rows.length);
  assert.ok(brushed.every(inRange));
  assert.equal(brushed.length, rows.filter(inRange).length);
  // A categorical axis brushes the categories it covers.
  const activationAxis = axisFor(activation, rows);
  const tanh = activationAxis.brush(0.9, 1);
  assert.deepEqual(tanh, { values: ['tanh'] });
  const both = filterRows(rows, columns.byId, filter({ brushes: new Map<string, Brush>([[lr.id, lrBrush], [activation.id, tanh]]) }));
  assert.ok(both.length > 0 && both.length < brushed.length);
  assert.ok(both.every((r) => inRange(r) && r.params['model.layers[1].activation'] === 'tanh'));
  const withText = filterRows(rows, columns.byId, filter({ text: 'running', brushes: new Map<string, Brush>([[lr.id, lrBrush]]) }));
  assert.ok(withText.every((r) => r.status === 'running' && inRange(r)));
  // The brush sits where it was drawn on its axis.
  const span = lrAxis.brushSpan(lrBrush);
  assert.ok(span && Math.abs(span[0] - 0.25) < 1e-9 && Math.abs(span[1] - 0.75) < 1e-9);
  // No brushes: every row.
  assert.equal(filterRows(rows, columns.byId, NO_FILTER).length, rows.length);
});

test('the best run: the sweep’s own best on its metric, else the best value among runs with a model', () => {
  const columns = buildColumns(runs);
  const valAcc = columns.byId.get('metric:val_acc');
  const loss = columns.byId.get('metric:loss');
  assert.equal(bestRow(runs, valAcc)?.id, 'b');
  assert.equal(bestRow(runs, loss)?.id, 'b', 'lowest loss');
  const runningBetter = [...runs.slice(0, 2), { ...runs[2], metrics: { loss: 0.01 } }];
  assert.equal(bestRow(runningBetter, loss)?.id, 'b', 'c has a lower loss but is still running: no model to push yet');
  const sweep = { id: 's', name: 's', status: 'running' as const, metric: { name: 'val_acc', goal: 'maximize' as const }, scales: {}, plannedTrials: 3, best: { trialId: '1', runId: 'a', value: 0.97 } };
  assert.equal(bestRow(runs, valAcc, sweep)?.id, 'a', 'the sweep decides on its own metric');
  assert.equal(bestRow(runs, loss, sweep)?.id, 'b');
  const minimize = { ...sweep, best: undefined, metric: { name: 'val_acc', goal: 'minimize' as const } };
  assert.equal(bestRow(runs, valAcc, minimize)?.id, 'a', "the sweep's goal wins over the name");
  assert.equal(bestRow(runs, undefined), undefined);
});

test('CSV quoting follows RFC 4180', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(' spaced '), ' spaced ', 'spaces are data, not quoted');
  assert.equal(csvField(undefined), '');
  assert.equal(csvField(0.000123456789), '0.000123456789', 'full precision');
});

test('the CSV has a header of column names and a CRLF-ended line per row, in table order', () => {
  const tricky = [row('q', { 'fit.batchSize': 32, 'compile.optimizer.type': 'adam' }, { val_acc: 0.5 }, { name: 'my "best", really' }), row('r', { 'fit.batchSize': 64, 'compile.optimizer.type': 'adam' }, {})];
  const columns = buildColumns(tricky);
  const csv = toCsv([RUN_COLUMNS.name, RUN_COLUMNS.id, ...columns.params, ...columns.metrics], tricky);
  assert.equal(csv, 'run,id,fit.batchSize,val_acc\r\n"my ""best"", really",q,32,0.5\r\nmnist-mlp,r,64,\r\n');
  assert.match(csvFileName('Sweep: mnist-mlp', new Date('2026-12-02T10:15:00Z')), /^sweep-mnist-mlp-20261202-1015\.csv$/);
  assert.equal(csvFileName('Experiments', new Date('2026-12-02T10:15:00Z')), 'experiments-20261202-1015.csv');
});
