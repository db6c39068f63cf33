#!/usr/bin/env bash
# Runs the chat platform on this machine with only a JDK (17+) and Maven: embedded Redis, MariaDB and MongoDB
# (module local-stack, no Docker) plus auth-service, chat-service and history-service. See --help.
set -euo pipefail

usage() {
  cat <<EOF
Usage: ./run-local.sh [--no-build] [--stores-only] [--help]

Builds the project, starts the local stores (Redis, MariaDB, MongoDB; data kept in .local-stack/) and the three
services, waits until they are ready and prints their URLs. Ctrl-C stops everything.

  --no-build     skip './mvnw install -DskipTests' (use what target/ holds)
  --stores-only  start only the stores, e.g. to run a service in dev mode in another terminal:
                   source .local-stack/stack.env && ./mvnw -pl auth-service quarkus:dev
  -h, --help     show this help

Environment:
  AUTH_PORT, CHAT_PORT, HISTORY_PORT   HTTP ports of the services (default 8081, 8082, 8083)
  CORS_ORIGINS                         origins auth and history accept browser calls from (default: the web client,
                                       http://127.0.0.1:CHAT_PORT and http://localhost:CHAT_PORT)
  AUTH_ADMIN_USERNAME, AUTH_ADMIN_PASSWORD
                                       admin account auth-service creates (default admin / admin-dev-password)
  QUARKUS_REDIS_HOSTS, QUARKUS_DATASOURCE_JDBC_URL (+ _USERNAME/_PASSWORD), QUARKUS_MONGODB_CONNECTION_STRING
                                       use these real servers instead of starting the embedded ones
  LOCAL_STACK_DIR                      stack folder (default: .local-stack next to this script)
  STACK_TIMEOUT, SERVICE_TIMEOUT       seconds to wait for the stores / each service (default 180 / 120)
  JAVA_HOME                            JDK to use (default: java on PATH)
EOF
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$ROOT"

BUILD=1
STORES_ONLY=0
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --stores-only) STORES_ONLY=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-local.sh: unknown option '$arg'" >&2; usage >&2; exit 2 ;;
  esac
done

STACK_DIR="${LOCAL_STACK_DIR:-$ROOT/.local-stack}"
case "$STACK_DIR" in /*) ;; *) STACK_DIR="$ROOT/$STACK_DIR" ;; esac
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"   # pid files of what this script started, to clean up after a 'kill -9' of it
AUTH_PORT="${AUTH_PORT:-8081}"
CHAT_PORT="${CHAT_PORT:-8082}"
HISTORY_PORT="${HISTORY_PORT:-8083}"
STACK_TIMEOUT="${STACK_TIMEOUT:-180}"
SERVICE_TIMEOUT="${SERVICE_TIMEOUT:-120}"
STOP_TIMEOUT=20          # seconds a service gets to stop after SIGTERM
STACK_STOP_TIMEOUT=45    # the stores (MariaDB shuts down InnoDB cleanly)

STACK_PID=""
STACK_STARTED=0
AUTH_PID=""
CHAT_PID=""
HISTORY_PID=""
SLEEP_PID=""
OWN_RUN_DIR=0

say() { printf '%s\n' "$*"; }
err() { printf 'run-local.sh: %s\n' "$*" >&2; }
die() { err "$*"; exit 1; }

log_tail() { # file
  if [ -f "$1" ]; then
    err "last lines of $1:"
    tail -n 30 "$1" | sed 's/^/    /' >&2
  fi
}

# Sleeps without delaying the traps: 'wait' returns as soon as a trapped signal arrives.
pause() {
  sleep "${1:-1}" &
  SLEEP_PID=$!
  wait "$SLEEP_PID" 2>/dev/null || true
  SLEEP_PID=""
}

alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }

# SIGTERM, wait up to $3 seconds, then SIGKILL; reaps the child.
stop_process() { # name pid timeout
  local name="$1" pid="$2" timeout="$3" waited=0
  alive "$pid" || { wait "$pid" 2>/dev/null || true; return 0; }
  say "Stopping $name (pid $pid)..."
  kill -TERM "$pid" 2>/dev/null || true
  while alive "$pid" && [ "$waited" -lt $((timeout * 10)) ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  if alive "$pid"; then
    err "$name did not stop within ${timeout}s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# A process left running by a killed predecessor: stop it via its pid file if its command line matches.
stop_leftover() { # pid-file command-name
  local pid
  [ -f "$1" ] || return 0
  pid="$(cat "$1" 2>/dev/null || true)"
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  if alive "$pid" && ps -p "$pid" -o command= 2>/dev/null | grep -qF -- "$2"; then
    err "stopping leftover $2 (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 200); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$1"
  return 0
}

cleanup() {
  local status=$?
  trap - EXIT
  trap '' INT TERM HUP   # a second Ctrl-C must not abort the clean-up half-way
  trap '' PIPE       # nor a closed stdout (e.g. './run-local.sh | tee' after Ctrl-C)
  set +e
  [ -n "$SLEEP_PID" ] && kill "$SLEEP_PID" 2>/dev/null
  for pid in $HISTORY_PID $CHAT_PID $AUTH_PID; do   # all services stop in parallel...
    alive "$pid" && kill -TERM "$pid" 2>/dev/null
  done
  stop_process history-service "$HISTORY_PID" "$STOP_TIMEOUT"   # ...and are reaped (or killed) here
  stop_process chat-service "$CHAT_PID" "$STOP_TIMEOUT"
  stop_process auth-service "$AUTH_PID" "$STOP_TIMEOUT"
  if [ "$STACK_STARTED" = 1 ]; then
    stop_process "local stack" "$STACK_PID" "$STACK_STOP_TIMEOUT"   # stores last: services may flush on stop
    stop_leftover "$STACK_DIR/redis/redis.pid" redis-server
    stop_leftover "$STACK_DIR/mariadb/mariadbd.pid" mariadbd
    rm -f "$STACK_DIR/stack.env"
  fi
  [ "$OWN_RUN_DIR" = 1 ] && rm -f "$RUN_DIR"/*.pid 2>/dev/null
  [ "$STACK_STARTED" = 1 ] && say "Stopped."
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP    # terminal closed

# --- checks ------------------------------------------------------------------------------------------------------
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
  JAVA="$JAVA_HOME/bin/java"
elif command -v java >/dev/null 2>&1; then
  JAVA="$(command -v java)"
else
  die "java not found. Install a JDK 17 or newer and put it on PATH (or set JAVA_HOME)."
fi
java_version="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9][0-9]*\)\.*\([0-9]*\).*/\1 \2/p' | head -n 1)"
java_major="${java_version%% *}"
[ "$java_major" = "1" ] && java_major="${java_version##* }"
case "$java_major" in ''|*[!0-9]*) die "cannot tell the version of $JAVA ('$JAVA -version' fails?)" ;; esac
[ "$java_major" -ge 17 ] || die "$JAVA is Java $java_major; Java 17 or newer is needed (set JAVA_HOME)."

# True if something accepts TCP connections on 127.0.0.1:$1.
port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

http_ok() { # url
  if command -v curl >/dev/null 2>&1; then
    curl -fsS -o /dev/null --max-time 3 "$1" 2>/dev/null
    return
  fi
  local rest="${1#http://}" hostport path status
  hostport="${rest%%/*}"
  path="/${rest#*/}"
  status="$( (exec 3<>"/dev/tcp/${hostport%:*}/${hostport#*:}" || exit 1
              printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$hostport" >&3
              IFS= read -r -t 3 line <&3 && printf '%s' "$line") 2>/dev/null || true)"
  case "$status" in *" 200 "*) return 0 ;; *) return 1 ;; esac
}

# One run per stack folder. Processes of an earlier run that was killed (kill -9) before it could clean up are stopped.
mkdir -p "$RUN_DIR"
other="$(cat "$RUN_DIR/run-local.pid" 2>/dev/null || true)"
case "$other" in
  ''|*[!0-9]*) ;;
  *) if [ "$other" != "$$" ] && alive "$other" && ps -p "$other" -o command= 2>/dev/null | grep -qF run-local.sh; then
       die "run-local.sh already runs for $STACK_DIR (pid $other): stop it first (Ctrl-C in its terminal, or kill $other)"
     fi ;;
esac
echo "$$" >"$RUN_DIR/run-local.pid"
OWN_RUN_DIR=1
for name in auth-service chat-service history-service; do
  stop_leftover "$RUN_DIR/$name.pid" "$ROOT/$name/target/quarkus-app/quarkus-run.jar"
done
stop_leftover "$RUN_DIR/stack.pid" "io.chatplatform.localstack.LocalStack"

SERVICES="auth-service:$AUTH_PORT chat-service:$CHAT_PORT history-service:$HISTORY_PORT"
if [ "$STORES_ONLY" = 0 ]; then
  for entry in $SERVICES; do
    port="${entry#*:}"
    case "$port" in ''|*[!0-9]*) die "invalid port '$port' for ${entry%%:*}" ;; esac
    if port_busy "$port"; then
      die "port $port (${entry%%:*}) is already in use. Stop what uses it, or choose another port, e.g. AUTH_PORT=9081 CHAT_PORT=9082 HISTORY_PORT=9083 ./run-local.sh"
    fi
  done
fi

# --- build -------------------------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  if [ "$STORES_ONLY" = 1 ]; then
    say "Building local-stack (./mvnw -q -B install -DskipTests -pl local-stack -am)..."
    ./mvnw -q -B install -DskipTests -pl local-stack -am || die "build failed (see above)"
  else
    say "Building (./mvnw -q -B install -DskipTests)..."
    ./mvnw -q -B install -DskipTests || die "build failed (see above)"
  fi
fi

CLASSPATH_FILE="$ROOT/local-stack/target/classpath.txt"
if [ ! -f "$CLASSPATH_FILE" ] || [ ! -f "$ROOT/local-stack/target/classes/io/chatplatform/localstack/LocalStack.class" ]; then
  die "local-stack is not built ($CLASSPATH_FILE): run without --no-build (or: ./mvnw -pl local-stack -am install -DskipTests)"
fi
if [ "$STORES_ONLY" = 0 ]; then
  for entry in $SERVICES; do
    jar="$ROOT/${entry%%:*}/target/quarkus-app/quarkus-run.jar"
    [ -f "$jar" ] || die "$jar is missing: run without --no-build"
  done
fi

# --- stores ------------------------------------------------------------------------------------------------------
mkdir -p "$LOG_DIR"
rm -f "$STACK_DIR/stack.env"
: >"$LOG_DIR/stack.log"   # truncate now: the background redirection below may happen after the first check
say "Starting the local stores (data in $STACK_DIR, log $LOG_DIR/stack.log)..."
# Children get their own process groups (set -m): a Ctrl-C in the terminal reaches only this script, which then
# stops them in order (services first, stores last) instead of everything dying at once.
set -m
"$JAVA" -cp "$ROOT/local-stack/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.chatplatform.localstack.LocalStack "$STACK_DIR" </dev/null >"$LOG_DIR/stack.log" 2>&1 &
STACK_PID=$!
set +m
STACK_STARTED=1
echo "$STACK_PID" >"$RUN_DIR/stack.pid"

waited=0
until grep -q '^LOCAL STACK READY' "$LOG_DIR/stack.log" 2>/dev/null; do
  if ! alive "$STACK_PID"; then
    wait "$STACK_PID" 2>/dev/null || true
    STACK_PID=""
    log_tail "$LOG_DIR/stack.log"
    die "the local stores failed to start (log: $LOG_DIR/stack.log)"
  fi
  if [ "$waited" -ge "$STACK_TIMEOUT" ]; then
    log_tail "$LOG_DIR/stack.log"
    die "the local stores were not ready after ${STACK_TIMEOUT}s (log: $LOG_DIR/stack.log; raise STACK_TIMEOUT?)"
  fi
  pause 1
  waited=$((waited + 1))
done
[ -f "$STACK_DIR/stack.env" ] || die "$STACK_DIR/stack.env is missing although the stores are ready"
# shellcheck disable=SC1090,SC1091
. "$STACK_DIR/stack.env"

say ""
say "Stores ready:"
say "  Redis    $QUARKUS_REDIS_HOSTS"
say "  MariaDB  $QUARKUS_DATASOURCE_JDBC_URL (user ${QUARKUS_DATASOURCE_USERNAME:-?})"
say "  MongoDB  $QUARKUS_MONGODB_CONNECTION_STRING"

# --- services ----------------------------------------------------------------------------------------------------
start_service() { # name port [VAR=value...]
  local name="$1" port="$2"
  shift 2
  set -m   # own process group, see the stores above
  (
    export QUARKUS_HTTP_PORT="$port"
    export QUARKUS_HTTP_HOST="${QUARKUS_HTTP_HOST:-127.0.0.1}"   # a local run is not for the network
    for assignment in "$@"; do export "${assignment?}"; done
    exec "$JAVA" -jar "$ROOT/$name/target/quarkus-app/quarkus-run.jar"
  ) </dev/null >"$LOG_DIR/$name.log" 2>&1 &
  LAST_PID=$!
  set +m
  echo "$LAST_PID" >"$RUN_DIR/$name.pid"
  say "Starting $name on port $port (pid $LAST_PID, log $LOG_DIR/$name.log)..."
}

wait_ready() { # name port pid
  local name="$1" port="$2" pid="$3" waited=0
  until http_ok "http://127.0.0.1:$port/q/health/ready"; do
    if ! alive "$pid"; then
      log_tail "$LOG_DIR/$name.log"
      die "$name exited during start-up (log: $LOG_DIR/$name.log)"
    fi
    if [ "$waited" -ge "$SERVICE_TIMEOUT" ]; then
      log_tail "$LOG_DIR/$name.log"
      die "$name was not ready after ${SERVICE_TIMEOUT}s (http://127.0.0.1:$port/q/health/ready; log: $LOG_DIR/$name.log)"
    fi
    pause 1
    waited=$((waited + 1))
  done
  say "  $name ready"
}

if [ "$STORES_ONLY" = 1 ]; then
  say ""
  say "Only the stores run. In another terminal, e.g.:"
  say "  source $STACK_DIR/stack.env && ./mvnw -pl auth-service quarkus:dev"
  say "Press Ctrl-C to stop the stores."
else
  mkdir -p "$STACK_DIR/keys"
  export AUTH_KEYS_DIR="$STACK_DIR/keys"   # auth-service generates its JWT key pair there on first start
  JWKS="http://127.0.0.1:$AUTH_PORT/.well-known/jwks.json"
  ADMIN_USERNAME="${AUTH_ADMIN_USERNAME:-admin}"
  ADMIN_PASSWORD="${AUTH_ADMIN_PASSWORD:-admin-dev-password}"
  # the web client (served by chat-service) calls auth and history from its own origin: allow it there (CORS)
  WEB_ORIGINS="${CORS_ORIGINS:-http://127.0.0.1:$CHAT_PORT,http://localhost:$CHAT_PORT}"

  # The packaged services run the prod profile: give auth-service what its %dev profile would have
  # (auth.jwt.key-dir + generate-missing, and the admin account it creates on start).
  start_service auth-service "$AUTH_PORT" \
    "AUTH_JWT_KEY_DIR=${AUTH_JWT_KEY_DIR:-$AUTH_KEYS_DIR}" \
    "AUTH_JWT_GENERATE_MISSING=${AUTH_JWT_GENERATE_MISSING:-true}" \
    "AUTH_ADMIN_USERNAME=$ADMIN_USERNAME" \
    "AUTH_ADMIN_PASSWORD=$ADMIN_PASSWORD" \
    "CORS_ORIGINS=$WEB_ORIGINS"
  AUTH_PID=$LAST_PID
  wait_ready auth-service "$AUTH_PORT" "$AUTH_PID"

  # chat signs the media URLs in messages, history checks them: one key for both (a fresh one per run)
  MEDIA_KEY="${MEDIA_URL_SECRET:-$(head -c 24 /dev/urandom | base64 | tr -d '/+=')}"
  start_service chat-service "$CHAT_PORT" "MP_JWT_VERIFY_PUBLICKEY_LOCATION=$JWKS" "MEDIA_URL_SECRET=$MEDIA_KEY" \
    "CHAT_WEB_AUTH_URL=${CHAT_WEB_AUTH_URL:-http://127.0.0.1:$AUTH_PORT}" \
    "CHAT_WEB_HISTORY_URL=${CHAT_WEB_HISTORY_URL:-http://127.0.0.1:$HISTORY_PORT}"
  CHAT_PID=$LAST_PID
  start_service history-service "$HISTORY_PORT" "MP_JWT_VERIFY_PUBLICKEY_LOCATION=$JWKS" "CORS_ORIGINS=$WEB_ORIGINS" \
    "MEDIA_URL_SECRET=$MEDIA_KEY"
  HISTORY_PID=$LAST_PID
  wait_ready chat-service "$CHAT_PORT" "$CHAT_PID"
  wait_ready history-service "$HISTORY_PORT" "$HISTORY_PID"

  say ""
  say "Chat platform running:"
  for entry in $SERVICES; do
    name="${entry%%:*}"
    port="${entry#*:}"
    say "  $name"
    say "    REST        http://127.0.0.1:$port"
    [ "$name" = chat-service ] && say "    WebSocket   ws://127.0.0.1:$port/ws"
    [ "$name" = chat-service ] && say "    Web client  http://127.0.0.1:$port/"
    [ "$name" != chat-service ] && say "    Swagger UI  http://127.0.0.1:$port/q/swagger-ui"
    say "    Health      http://127.0.0.1:$port/q/health"
  done
  say "  Admin account: $ADMIN_USERNAME / $ADMIN_PASSWORD (AUTH_ADMIN_USERNAME / AUTH_ADMIN_PASSWORD to change)"
  say "  Logs: $LOG_DIR/ (stack.log, auth-service.log, chat-service.log, history-service.log)"
  say ""
  say "  Open the web client: http://127.0.0.1:$CHAT_PORT/  (a second window, e.g. a private one, for a second user)"
  say "Press Ctrl-C to stop everything."
fi

# --- run until Ctrl-C / SIGTERM or until something dies ------------------------------------------------------------
while true; do
  if ! alive "$STACK_PID"; then
    wait "$STACK_PID" 2>/dev/null || true
    STACK_PID=""
    log_tail "$LOG_DIR/stack.log"
    die "the local stores stopped unexpectedly"
  fi
  for entry in auth-service:$AUTH_PID chat-service:$CHAT_PID history-service:$HISTORY_PID; do
    pid="${entry#*:}"
    if [ -n "$pid" ] && ! alive "$pid"; then
      log_tail "$LOG_DIR/${entry%%:*}.log"
      die "${entry%%:*} stopped unexpectedly"
    fi
  done
  pause 2
done
