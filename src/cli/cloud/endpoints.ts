// `model-studio cloud endpoints create|list|describe|delete|predict`, as
// `gcloud ai endpoints`; deployment and traffic commands live in deploy.ts.
import { readFile } from 'node:fs/promises';
import { checkPredictBody, createEndpoint, deleteEndpoint, describeEndpoint, formatSplit, listEndpoints, predict } from '../../cloud';
import { UserError, errorMessage } from '../../shared/errors';
import { parseCommandArgs } from '../../core/commandArgs';
import { deployVerbs } from './deploy';
import { endpointFields } from './format';
import { table, withInterrupt } from './output';
import { COMMON_OPTIONS, COMMON_USAGE, waitTimeoutMs } from './target';
import { withClients } from './withClients';
import type { VerbTable } from '../verbs';

const USAGE = {
  create: `model-studio cloud endpoints create --display-name NAME [--endpoint-id ID] [--description TEXT] [--dedicated-endpoint] [--inference-timeout SECONDS] [--request-response-logging-rate R] [--request-response-logging-table bq://P.D.T] ${COMMON_USAGE}`,
  list: `model-studio cloud endpoints list ${COMMON_USAGE}`,
  describe: `model-studio cloud endpoints describe ENDPOINT ${COMMON_USAGE}`,
  delete: `model-studio cloud endpoints delete ENDPOINT [--undeploy-all] ${COMMON_USAGE}`,
  predict: `model-studio cloud endpoints predict ENDPOINT --json-request FILE ${COMMON_USAGE}`,
};

export const endpointVerbs: VerbTable = {
  create: { run: create, usage: USAGE.create },
  list: { run: list, usage: USAGE.list },
  describe: { run: describe, usage: USAGE.describe },
  delete: { run: remove, usage: USAGE.delete },
  ...deployVerbs,
  predict: { run: predictCommand, usage: USAGE.predict },
};

async function create(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    argv,
    {
      ...COMMON_OPTIONS,
      'display-name': { type: 'string' },
      'endpoint-id': { type: 'string' },
      description: { type: 'string' },
      'dedicated-endpoint': { type: 'boolean' },
      'inference-timeout': { type: 'string' },
      'request-response-logging-rate': { type: 'string' },
      'request-response-logging-table': { type: 'string' },
    },
    USAGE.create,
  );
  if (!values['display-name']) throw new UserError(`Missing --display-name NAME. Usage: ${USAGE.create}`);
  const timeout = values['inference-timeout'] === undefined ? undefined : Number(values['inference-timeout']);
  const rate = values['request-response-logging-rate'];
  const table = values['request-response-logging-table'];
  const logging = rate === undefined && table === undefined ? undefined : { enabled: true, samplingRate: rate === undefined ? 1 : Number(rate), table };
  return withClients(values, async (clients, out) => {
    const endpoint = await withInterrupt((signal) =>
      createEndpoint(
        clients,
        {
          displayName: values['display-name'] as string,
          endpointId: values['endpoint-id'],
          description: values.description,
          dedicated: values['dedicated-endpoint'],
          inferenceTimeoutSeconds: timeout,
          logging,
        },
        out.waitOptions('Creating the endpoint', waitTimeoutMs(values.timeout), signal),
      ),
    );
    out.result(endpoint, () => `Created endpoint ${endpoint.name}.${endpoint.dedicatedEndpointDns ? ` Dedicated DNS: ${endpoint.dedicatedEndpointDns}.` : ''}`);
    return 0;
  });
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.list);
  return withClients(values, async (clients, out) => {
    const endpoints = await listEndpoints(clients);
    out.result(endpoints, () =>
      endpoints.length === 0
        ? 'Listed 0 items.'
        : table(
            ['ENDPOINT_ID', 'DISPLAY_NAME', 'DEPLOYED', 'TRAFFIC'],
            endpoints.map((e) => [e.id, e.displayName, String(e.deployedModels.length), formatSplit(e.trafficSplit)]),
          ),
    );
    return 0;
  });
}

async function describe(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS }, USAGE.describe);
  if (positionals.length !== 1) throw new UserError(`Expected one ENDPOINT. Usage: ${USAGE.describe}`);
  return withClients(values, async (clients, out) => {
    const endpoint = await describeEndpoint(clients, positionals[0]);
    out.result(endpoint, () => endpointFields(endpoint));
    return 0;
  });
}

async function remove(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, 'undeploy-all': { type: 'boolean' } }, USAGE.delete);
  if (positionals.length !== 1) throw new UserError(`Expected one ENDPOINT. Usage: ${USAGE.delete}`);
  return withClients(values, async (clients, out) => {
    await withInterrupt((signal) =>
      deleteEndpoint(
        clients,
        positionals[0],
        { undeployAll: values['undeploy-all'], onStep: (m) => out.progress(m) },
        out.waitOptions(`Deleting endpoint ${positionals[0]}`, waitTimeoutMs(values.timeout), signal),
      ),
    );
    out.result({ deleted: positionals[0] }, () => `Deleted endpoint ${positionals[0]}.`);
    return 0;
  });
}

async function readRequest(file: string): Promise<unknown> {
  let text: string;
  try {
    text = file === '-' ? await readStdin() : await readFile(file, 'utf8');
  } catch {
    throw new UserError(`Cannot read --json-request ${file}: give a JSON file with {"instances": [...]}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UserError(`--json-request ${file} is not valid JSON (${errorMessage(error)})`);
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += (chunk as Buffer).toString();
  return text;
}

async function predictCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { ...COMMON_OPTIONS, 'json-request': { type: 'string' } }, USAGE.predict);
  if (positionals.length !== 1) throw new UserError(`Expected one ENDPOINT. Usage: ${USAGE.predict}`);
  if (!values['json-request']) throw new UserError(`Missing --json-request FILE. Usage: ${USAGE.predict}`);
  const body = checkPredictBody(await readRequest(values['json-request']));
  return withClients(values, async (clients, out) => {
    const result = await predict(clients, positionals[0], body);
    out.result(result, () => [`deployedModelId: ${result.deployedModelId}`, 'predictions:', ...result.predictions.map((p) => `- ${JSON.stringify(p)}`)].join('\n'));
    return 0;
  });
}
