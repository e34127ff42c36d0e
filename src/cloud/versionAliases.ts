// Model Registry version aliases: add an alias to a version (moving it from
// the version that holds it), remove one, with Vertex AI's naming rule
// checked here so a typo is a one-line error before any call.
import type { CloudClients } from './clients';
import { describeModel } from './describeModel';
import { CloudUserError, explained } from './errors';
import { withoutVersion } from './names';
import { SINGLE_ATTEMPT } from './retry';
import { modelSummary, type ModelSummary } from './summaries';
import { UserError } from '../shared/errors';
import { aliasProblem, DEFAULT_ALIAS } from '../shared/versionAliases';

function checkNames(aliases: readonly string[]): void {
  if (aliases.length === 0) throw new UserError('No aliases given: pass --aliases a,b');
  for (const alias of aliases) {
    const problem = aliasProblem(alias);
    if (problem) throw new UserError(problem);
  }
}

/** MODEL@VERSION or MODEL@ALIAS as the model's full name with its version ID. */
async function versionName(clients: CloudClients, model: string, signal?: AbortSignal): Promise<{ name: string; version: ModelSummary }> {
  if (!model.includes('@')) {
    throw new UserError(`"${model}" names no version: use MODEL@VERSION or MODEL@ALIAS, e.g. ${model}@1`);
  }
  const version = await describeModel(clients, model, signal);
  return { name: `${withoutVersion(version.name)}@${version.versionId}`, version };
}

/** MergeVersionAliases on one version: `aliases` as given, "-alias" removes. */
async function merge(clients: CloudClients, model: string, changes: string[], signal?: AbortSignal): Promise<ModelSummary> {
  const { name } = await versionName(clients, model, signal);
  return explained({ action: `changing the aliases of ${name}`, config: clients.config }, async () => {
    const [updated] = await clients.models.mergeVersionAliases({ name, versionAliases: changes }, SINGLE_ATTEMPT);
    return modelSummary(updated);
  });
}

/** Gives a version these aliases; another version holding one of them loses it. */
export async function addVersionAliases(clients: CloudClients, model: string, aliases: string[], signal?: AbortSignal): Promise<ModelSummary> {
  checkNames(aliases);
  return merge(clients, model, aliases, signal);
}

/** Takes aliases off a version; "default" only moves (add it to another version). */
export async function removeVersionAliases(clients: CloudClients, model: string, aliases: string[], signal?: AbortSignal): Promise<ModelSummary> {
  checkNames(aliases);
  if (aliases.includes(DEFAULT_ALIAS)) {
    throw new UserError(`The "${DEFAULT_ALIAS}" alias cannot be removed, only moved: add it to the version that should be the default`);
  }
  const { version } = await versionName(clients, model, signal);
  const missing = aliases.filter((a) => !version.versionAliases.includes(a));
  if (missing.length > 0) {
    throw new CloudUserError(
      `Version ${version.versionId} of model ${version.id} has no alias ${missing.map((a) => `"${a}"`).join(', ')}; its aliases: ${version.versionAliases.join(', ') || 'none'}`,
      'NOT_FOUND',
    );
  }
  return merge(clients, `${withoutVersion(version.name)}@${version.versionId}`, aliases.map((a) => `-${a}`), signal);
}
