// Serving: the prediction server for TF.js LayersModels under Vertex AI's
// custom-container contract, also used by the local sandbox.
//
// Public API:
//   createServingServer({ modelUri, port, host?, predictRoute, healthRoute, tf, storage?,
//                         maxBodyBytes?, maxBatchSize?, batchWindowMs? })
//     -> { server, url, port, ready, predictor(), close() }
//     Listens at once; GET healthRoute answers 503 until the model is loaded
//     and warmed up, then 200. POST predictRoute takes
//     {"instances": [...], "parameters": {...}} and answers
//     {"predictions": [...]}, one prediction per instance: the model's output
//     for it as a list of numbers (for the MNIST classifier, 10 class
//     probabilities; the class is the argmax), nested lists for outputs of
//     higher rank. An instance is nested lists of the input shape (28x28), a
//     flat list of the same size (784), or {"<input name>": ...}.
//     Errors: {"error": "..."} with 400 (bad JSON, no instances, wrong shape,
//     non-numbers), 404/405 (route/method), 413 (body > 1.5 MB), 503 (loading).
//     Concurrent requests are batched into one model call (maxBatchSize, default 64).
//   createPredictor(tf, model, { maxBatchSize?, batchWindowMs? }) -> Predictor
//     The same validation and batching without HTTP (predict(body) -> {predictions},
//     throws PredictError with .status); for in-process callers such as the sandbox.
//   loadLayersModelFromFolder(tf, dirOrGsUri, { storage? }) -> LayersModel
//     model.json + weight files from a local folder or gs://BUCKET/FOLDER.
//   servingConfig(env, overrides?) / startServing(config, log): the AIP_* wiring
//     used by `model-studio serve` (serveCommand.ts) and the container (main.ts).
//   loadServingTf(choice = 'auto'): the trainer's loadBackend (native tfjs-node when it
//     resolves, else WebAssembly); returns { tf, info }.
export { createServingServer, DEFAULT_MAX_BODY_BYTES } from './server';
export type { ServingServer, ServingServerOptions } from './server';
export { createPredictor } from './predictor';
export type { Prediction, PredictResponse, Predictor, PredictorOptions } from './predictor';
export { PredictError } from './errors';
export { loadLayersModelFromFolder, readModelArtifacts, MODEL_JSON } from './modelFolder';
export type { ModelFolderOptions } from './modelFolder';
export { servingConfig } from './config';
export type { ServingConfig } from './config';
export { startServing } from './start';
export { loadServingTf } from './tf';
