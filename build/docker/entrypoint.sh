#!/bin/sh
# Entrypoint of the GPU worker image: install the models once into the /data volume, then
# run the engine, which supervises cloudflared (SAMWISE_TUNNEL=true) and, on Vast, arms its
# dead-man switch (CONTAINER_ID, CONTAINER_API_KEY, SAMWISE_IDLE_TIMEOUT_S). Extra arguments
# go to `engine serve`.
#
# Models: the SAMWISE_PULL_MODELS catalog names are pulled from Hugging Face; every bundle
# folder baked into the image under SAMWISE_IMPORT_DIR (/models/<name>/, e.g. sam3-video and
# sam3-concept, which are not in the catalog) is imported under its folder's name. The local
# engine only sends a job to a worker whose bundles have the names its own have.
set -eu

installed() {
  engine models list --json | grep -q "\"name\": \"$1\""
}

for model in ${SAMWISE_PULL_MODELS:-}; do
  if installed "${model}"; then
    echo "samwise-worker: model ${model} is installed" >&2
  else
    echo "samwise-worker: pulling model ${model} (first start)" >&2
    engine models pull "${model}"
  fi
done

for dir in "${SAMWISE_IMPORT_DIR:-/models}"/*/; do
  [ -d "${dir}" ] || continue
  name=$(basename "${dir}")
  if installed "${name}"; then
    echo "samwise-worker: model ${name} is installed" >&2
  else
    echo "samwise-worker: importing model ${name} from ${dir}" >&2
    engine models import "${dir}" --name "${name}"
  fi
done

exec engine serve "$@"
