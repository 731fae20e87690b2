#!/bin/sh
# Entrypoint of the GPU worker image: pull the models once into the /data volume, then run
# the engine, which supervises cloudflared (SAMWISE_TUNNEL=true) and, on Vast, arms its
# dead-man switch (CONTAINER_ID, CONTAINER_API_KEY, SAMWISE_IDLE_TIMEOUT_S). Extra arguments
# go to `engine serve`.
set -eu

for model in ${SAMWISE_PULL_MODELS:-}; do
  if engine models list --json | grep -q "\"name\": \"${model}\""; then
    echo "samwise-worker: model ${model} is installed" >&2
  else
    echo "samwise-worker: pulling model ${model} (first start)" >&2
    engine models pull "${model}"
  fi
done

exec engine serve "$@"
