// `model-studio cloud ...`: Vertex AI from the command line, mirroring
// `gcloud ai models|endpoints`. Errors are one line on stderr: exit 2 for
// mistakes the user can fix, 1 for outages and bugs, 130 after Ctrl-C.
import { OperationWaitStopped } from '../../cloud';
import { errorMessage, isUserError } from '../../shared/errors';
import { batchPredictionJobVerbs } from './batchPredictionJobs';
import { endpointVerbs } from './endpoints';
import { modelVerbs } from './models';
import { operationVerbs } from './operations';
import { customJobVerbs } from './customJobs';
import { tuningJobVerbs } from './tuningJobs';
import { machineTypeVerbs } from './prices';
import { COMMON_USAGE } from './target';
import { helpEntry, orList, runVerb, usageEntries, type VerbTable } from '../verbs';

const NOUNS: Readonly<Record<string, VerbTable>> = {
  models: modelVerbs,
  endpoints: endpointVerbs,
  operations: operationVerbs,
  'custom-jobs': customJobVerbs,
  'hp-tuning-jobs': tuningJobVerbs,
  'batch-prediction-jobs': batchPredictionJobVerbs,
  'machine-types': machineTypeVerbs,
};

/** Every verb's usage line and note, without the common flags the footer explains once. */
export function cloudHelpText(): string {
  const lines = Object.values(NOUNS).flatMap((verbs) => [
    ...usageEntries(verbs).map(({ usage, note }) => helpEntry(`  ${usage.replace(/^model-studio /, '').replace(` ${COMMON_USAGE}`, '')}`, note)),
    '',
  ]);
  return `model-studio cloud — Vertex AI models and endpoints (like \`gcloud ai\`)

${lines.join('\n')}
Every command takes --project, --region, --api-endpoint HOST:PORT, --storage-endpoint URL,
--insecure (plaintext, no credentials) and --json. MODEL and ENDPOINT are IDs or full names;
a model may be named MODEL, MODEL@VERSION or MODEL@ALIAS (e.g. --model 123@champion).
Without --project (or CLOUDSDK_CORE_PROJECT), commands go to the running local sandbox
(\`model-studio sandbox start\`). Credentials: \`gcloud auth application-default login\`.
`;
}

export async function cloudCommand(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  try {
    if (group === undefined || group === 'help' || group === '--help') {
      process.stdout.write(cloudHelpText());
      return group === undefined ? 2 : 0;
    }
    if (!Object.hasOwn(NOUNS, group)) {
      process.stderr.write(`Unknown cloud command '${group}': use ${orList(Object.keys(NOUNS))} (\`model-studio cloud help\`)\n`);
      return 2;
    }
    return await runVerb(group, NOUNS[group], verb, rest);
  } catch (error) {
    process.stderr.write(`${errorMessage(error).replace(/\s*\n\s*/g, ' ')}\n`);
    if (process.env.MODEL_STUDIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    if (error instanceof OperationWaitStopped) return 130;
    return isUserError(error) ? 2 : 1;
  }
}
