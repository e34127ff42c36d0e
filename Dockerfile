# syntax=docker/dockerfile:1
# The trainer image for Vertex AI custom and tuning jobs (design.md, "Training
# on Vertex AI"): dist/vertexTrainer.js, the same trainer as the laptop's, with
# native TensorFlow beside it.
#   --target trainer      tfjs-node-gpu on a CUDA base (GPU machines; runs on
#                         the CPU when the machine has no GPU)
#   --target trainer-cpu  tfjs-node on Debian slim (CPU machines, smaller)
#
# Build from the repository root after `node scripts/build.mjs` (README,
# "Training on Vertex AI"):
#   docker build --platform linux/amd64 --target trainer -t IMAGE .
# Only the bundle and the .wasm fallbacks enter the build context
# (Dockerfile.dockerignore, read by BuildKit).

ARG NODE_VERSION=20.18.1
ARG TFJS_VERSION=4.22.0

# tfjs-node(-gpu) downloads libtensorflow while installing and may compile its
# binding: the full Node image has python, make and g++. A spec's own model
# module is transpiled by dist/typescript.js, copied beside the trainer.
FROM node:20-bookworm AS native-cpu
ARG TFJS_VERSION
WORKDIR /app
RUN npm init -y > /dev/null \
 && npm install --omit=dev --no-audit --no-fund --no-package-lock "@tensorflow/tfjs-node@${TFJS_VERSION}" \
 && node -e "require('@tensorflow/tfjs-node')" \
 && npm cache clean --force

FROM node:20-bookworm AS native-gpu
ARG TFJS_VERSION
WORKDIR /app
# Loading the GPU build needs CUDA, which this stage lacks: it is only installed here.
RUN npm init -y > /dev/null \
 && npm install --omit=dev --no-audit --no-fund --no-package-lock "@tensorflow/tfjs-node-gpu@${TFJS_VERSION}" \
 && npm cache clean --force

# tfjs-node-gpu 4.22 links libtensorflow 2.9, built for CUDA 11.2 and cuDNN 8.1.
FROM nvidia/cuda:11.2.2-cudnn8-runtime-ubuntu20.04 AS trainer
ARG NODE_VERSION
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl xz-utils \
 && curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-x64.tar.xz" | tar -xJ -C /usr/local --strip-components=1 \
 && apt-get purge -y curl xz-utils && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && useradd --create-home trainer
ENV NODE_ENV=production TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app
COPY --from=native-gpu /app/node_modules ./node_modules
COPY dist/vertexTrainer.js dist/typescript.js dist/tfjs-backend-wasm.wasm dist/tfjs-backend-wasm-simd.wasm dist/tfjs-backend-wasm-threaded-simd.wasm ./
USER trainer
# Vertex AI passes --spec=gs://... (and a trial's --<parameterId>=<value>) as
# args and sets AIP_MODEL_DIR, AIP_CHECKPOINT_DIR, CLOUD_ML_TRIAL_ID and
# CLOUD_ML_HP_METRIC_FILE; credentials come from the metadata server.
ENTRYPOINT ["node", "vertexTrainer.js"]

FROM node:20-bookworm-slim AS trainer-cpu
ENV NODE_ENV=production TF_CPP_MIN_LOG_LEVEL=2
WORKDIR /app
COPY --from=native-cpu /app/node_modules ./node_modules
COPY dist/vertexTrainer.js dist/typescript.js dist/tfjs-backend-wasm.wasm dist/tfjs-backend-wasm-simd.wasm dist/tfjs-backend-wasm-threaded-simd.wasm ./
USER node
ENTRYPOINT ["node", "vertexTrainer.js"]
