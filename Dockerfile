# The inference-lab CLI image: benchmark workers on Docker hosts and in Kubernetes
# (`inference-lab bench --docker-hosts …`, `--k8s-context …`), or any CLI command.
#
# No base image is pulled. `npm run image:cli` (scripts/docker/cli-image.mjs) stages
# rootfs/ next to this file — the node binary of the build machine, the shared
# libraries it links (as ldd lists them), the CLI bundle and the worker-thread
# bundle — and builds this Dockerfile through the engine API. Built elsewhere,
# give it a context with the same rootfs/ layout.
FROM scratch
COPY rootfs/ /
WORKDIR /app
# nobody: the workers need no privileges; /tmp (mode 1777) holds a shard's records while it streams them.
USER 65534:65534
ENV HOME=/tmp
ENTRYPOINT ["/usr/bin/node", "/app/cli.js"]
CMD ["--help"]
