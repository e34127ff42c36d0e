// The model servers behind deployed models: one per DeployedModel, loaded
// from the model version's artifactUri when it is deployed (or, after a
// restart, at its first prediction), and released when it is undeployed.

export interface LoadedModel {
  /** Predictions for the instances; bad input throws an Error with a 4xx `status` (as the serving code's PredictError). */
  predict(instances: unknown[], parameters: unknown): Promise<unknown[]>;
  dispose(): void;
}

export type ModelLoader = (artifactUri: string, deployedModelId: string) => Promise<LoadedModel>;

export class Predictors {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(private readonly loader: ModelLoader) {}

  /** The model server of a deployed model, loading it once. */
  get(deployedModelId: string, artifactUri: string): Promise<LoadedModel> {
    let model = this.loaded.get(deployedModelId);
    if (!model) {
      model = this.loader(artifactUri, deployedModelId);
      this.loaded.set(deployedModelId, model);
      // A failed load is retried by the next caller, not cached.
      model.catch(() => this.loaded.delete(deployedModelId));
    }
    return model;
  }

  release(deployedModelId: string): void {
    const model = this.loaded.get(deployedModelId);
    this.loaded.delete(deployedModelId);
    model?.then((m) => m.dispose()).catch(() => undefined);
  }

  close(): void {
    for (const id of [...this.loaded.keys()]) this.release(id);
  }
}
