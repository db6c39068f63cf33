#!/usr/bin/env bash
# Benchmark of chat-service against a Socket.IO 4.8 + redis-streams-adapter peer (issue #7).
# One command: builds what is missing, installs the peer's npm packages, starts Redis, 2 chat instances,
# 2 peer instances (and history-service + MongoDB stand-in for scenario 5, auth-service + MariaDB for scenario 6), runs the scenarios A/B/A/B and
# writes bench/results/latest.{json,md}. Knobs: environment variables, see README.md "## Benchmarks".
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [[ "${BENCH_BUILD:-auto}" == 1 || ! -f chat-service/target/quarkus-app/quarkus-run.jar \
      || ! -f history-service/target/quarkus-app/quarkus-run.jar || ! -f auth-service/target/quarkus-app/quarkus-run.jar ]]; then
  echo "building the services (./mvnw install -DskipTests) ..."
  ./mvnw -q -B install -DskipTests
fi
echo "building the bench client ..."
# bench alone (the services are not rebuilt); it resolves chat-common, local-stack and, for the order of the
# reactor build, the services' poms from the local repository: install them once if that fails
if ! ./mvnw -q -B -f bench/pom.xml package -DskipTests; then
  echo "bench build failed; installing the modules it needs (./mvnw install -DskipTests) and retrying ..."
  ./mvnw -q -B install -DskipTests
  ./mvnw -q -B -f bench/pom.xml package -DskipTests
fi

if [[ ! -f bench/peer/node_modules/socket.io/package.json \
      || ! -f bench/peer/node_modules/@socket.io/redis-streams-adapter/package.json ]]; then
  echo "installing the peer (npm) ..."
  (cd bench/peer && npm ci --ignore-scripts --no-audit --no-fund)
fi

# run copies of the packaged services: a build elsewhere in the repo must not swap jars under a running bench
rm -rf bench/target/run/apps && mkdir -p bench/target/run/apps
cp -r chat-service/target/quarkus-app bench/target/run/apps/chat-service
cp -r history-service/target/quarkus-app bench/target/run/apps/history-service
cp -r auth-service/target/quarkus-app bench/target/run/apps/auth-service

ulimit -n 20000 2>/dev/null || true
cpus=${BENCH_CLIENT_CPUS:-1}
pin=()
if [[ ! "${BENCH_PIN:-auto}" =~ ^(0|false|no)$ ]] && command -v taskset >/dev/null 2>&1; then
  pin=(taskset -c "$cpus")
else
  echo "no CPU pinning (BENCH_PIN=0 or no taskset)"
  export BENCH_PIN=0
fi
cd bench
exec ${pin[@]+"${pin[@]}"} java -Xmx1g -XX:+UseSerialGC \
  -cp "target/classes:$(cat target/classpath.txt)" io.chatplatform.bench.Bench "$@"
