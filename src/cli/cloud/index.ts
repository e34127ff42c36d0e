// `model-studio cloud ...`: Vertex AI from the command line, mirroring
// `gcloud ai models|endpoints`. Errors are one line on stderr: exit 2 for
// mistakes the user can fix, 1 for outages and bugs, 130 after Ctrl-C.
import { OperationWaitStopped } from '../../cloud';
import { errorMessage, isUserError } from '../../shared/errors';
import { batchPredictionJobsCommand } from './batchPredictionJobs';
import { endpointsCommand } from './endpoints';
import { modelsCommand } from './models';
import { operationsCommand } from './operations';
import { customJobsCommand } from './customJobs';
import { tuningJobsCommand } from './tuningJobs';
import { machineTypesCommand } from './prices';

const HELP = `model-studio cloud — Vertex AI models and endpoints (like \`gcloud ai\`)

  cloud models upload --run RUN --display-name NAME [--bucket gs://BUCKET[/PREFIX]] [--create-bucket]
                      [--container-image-uri URI] [--parent-model MODEL] [--version-aliases a,b]
                      [--version-description TEXT]
  cloud models upload --job JOB [--trial ID] --display-name NAME   (a training job's model; a tuning job's best trial)
  cloud models list | describe MODEL [--versions] | delete MODEL[@VERSION]
  cloud models list-version MODEL | delete-version MODEL@VERSION
  cloud models add-version-aliases|remove-version-aliases MODEL@VERSION --aliases a,b
  cloud endpoints create --display-name NAME | list | describe ENDPOINT | delete ENDPOINT [--undeploy-all]
  cloud endpoints deploy-model ENDPOINT --model MODEL --display-name NAME [--machine-type TYPE]
                      [--min-replica-count N] [--max-replica-count N] [--accelerator type=T,count=N]
                      [--autoscaling-metric-specs cpu-usage=60,gpu-duty-cycle=70] [--spot]
                      [--traffic-split 0=100,DEPLOYED_ID=N...]
  cloud endpoints mutate-deployed-model ENDPOINT --deployed-model-id ID [--min-replica-count N]
                      [--max-replica-count N] [--autoscaling-metric-specs cpu-usage=60,...]
  cloud endpoints undeploy-model ENDPOINT --deployed-model-id ID
  cloud endpoints update ENDPOINT [--traffic-split ID=N,ID=N] [--request-response-logging-rate R]
                      [--request-response-logging-table bq://P.D.T] [--disable-request-response-logging]
  cloud endpoints promote|rollback ENDPOINT --deployed-model-id ID
  cloud endpoints predict ENDPOINT --json-request FILE
  cloud batch-prediction-jobs create --model MODEL --input gs://B/in.jsonl --output gs://B/out/
                      --display-name N [--machine-type M] [--starting-replica-count N] [--max-replica-count N]
  cloud batch-prediction-jobs list | describe JOB | cancel JOB
  cloud operations describe|wait|cancel OPERATION
  cloud machine-types list   (prediction prices for the region, from the Cloud Billing Catalog)
  cloud custom-jobs create --spec SPEC --display-name NAME [--bucket gs://BUCKET] [--machine-type M]
                      [--accelerator type=NVIDIA_TESLA_T4,count=1] [--replica-count N] [--container-image-uri URI]
                      [--service-account EMAIL] [--job-timeout 2h] [--spot] [--epochs N]
  cloud custom-jobs list | describe JOB | cancel JOB | stream JOB
  cloud hp-tuning-jobs create (same flags) [--max-trial-count N] [--parallel-trial-count N] [--max-failed-trial-count N]
  cloud hp-tuning-jobs list | describe JOB | cancel JOB | stream JOB

Every command takes --project, --region, --api-endpoint HOST:PORT, --storage-endpoint URL,
--insecure (plaintext, no credentials) and --json. MODEL and ENDPOINT are IDs or full names;
a model may be named MODEL, MODEL@VERSION or MODEL@ALIAS (e.g. --model 123@champion).
Without --project (or CLOUDSDK_CORE_PROJECT), commands go to the running local sandbox
(\`model-studio sandbox start\`). Credentials: \`gcloud auth application-default login\`.
`;

export async function cloudCommand(argv: string[]): Promise<number> {
  const [group, verb, ...rest] = argv;
  try {
    switch (group) {
      case 'models':
        return await modelsCommand(verb, rest);
      case 'endpoints':
        return await endpointsCommand(verb, rest);
      case 'operations':
        return await operationsCommand(verb, rest);
      case 'batch-prediction-jobs':
        return await batchPredictionJobsCommand(verb, rest);
      case 'custom-jobs':
        return await customJobsCommand(verb, rest);
      case 'hp-tuning-jobs':
        return await tuningJobsCommand(verb, rest);
      case 'machine-types':
        return await machineTypesCommand(verb, rest);
      case undefined:
      case 'help':
      case '--help':
        process.stdout.write(HELP);
        return group === undefined ? 2 : 0;
      default:
        process.stderr.write(`Unknown cloud command '${group}': use models, endpoints, operations, custom-jobs, hp-tuning-jobs, batch-prediction-jobs or machine-types (\`model-studio cloud help\`)\n`);
        return 2;
    }
  } catch (error) {
    process.stderr.write(`${errorMessage(error).replace(/\s*\n\s*/g, ' ')}\n`);
    if (process.env.MODEL_STUDIO_DEBUG && error instanceof Error) process.stderr.write(`${error.stack ?? ''}\n`);
    if (error instanceof OperationWaitStopped) return 130;
    return isUserError(error) ? 2 : 1;
  }
}
