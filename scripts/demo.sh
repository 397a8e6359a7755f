#!/usr/bin/env bash
# The demo: the quickstart stack against the local Braket service, with no AWS account.
#   scripts/demo.sh up | destroy | stop
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
state="$root/.pulumi-state"
port="${DEMO_PORT:-4599}"
endpoint="http://127.0.0.1:$port"
py="$root/.venv/bin/python"
mkdir -p "$state"

healthy() {
  "$py" -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=1)" \
    "$endpoint/_braket_local/health" >/dev/null 2>&1
}

start_service() {
  if healthy; then
    echo "Local Braket service already running at $endpoint"
    return
  fi
  # Kept running after the demo so `make demo-destroy` can reach it; state survives restarts.
  nohup "$root/.venv/bin/pulumi-braket-local" serve --port "$port" --db "$state/braket.db" \
    >"$state/local-braket.log" 2>&1 &
  echo $! >"$state/local-braket.pid"
  for _ in $(seq 100); do
    healthy && { echo "Local Braket service started at $endpoint (log: $state/local-braket.log)"; return; }
    sleep 0.1
  done
  echo "the local Braket service did not start; see $state/local-braket.log" >&2
  exit 1
}

stop_service() {
  if [ -f "$state/local-braket.pid" ]; then
    kill "$(cat "$state/local-braket.pid")" 2>/dev/null || true
    rm -f "$state/local-braket.pid"
    echo "Local Braket service stopped"
  fi
}

# The service's own credentials, made at its first start and kept beside its database.
service_env() {
  "$root/.venv/bin/pulumi-braket-local" env --port "$port" --db "$state/braket.db"
}

pulumi_env() {
  bin_dir=$(scripts/build-pulumi.sh | tail -n 1)
  export PATH="$bin_dir:$root/.venv/bin:$PATH"
  eval "$(service_env)"
  export PULUMI_BACKEND_URL="file://$state"
  export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE-demo}"
  export PULUMI_SKIP_UPDATE_CHECK=true
  # The repo's editable install hides pulumi-plugin.json from the language host, which would
  # otherwise retry downloading a "braket" resource plugin for 2.5 s before every command.
  export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
  # The same hidden file makes the engine look for that plugin, find the console script on
  # PATH, and warn that it uses it, for a stack that declares no plugin resource at all.
  export PULUMI_IGNORE_AMBIENT_PLUGINS=true
  # State written once per update, not after every step: safe for these resources (the
  # kill-point suite recovers every point with it, on both hosts; README, Reliability).
  export PULUMI_SKIP_CHECKPOINTS=true
  pulumi stack select --create dev >/dev/null
  pulumi config set aws:region us-east-1
}

case "${1:-up}" in
  up)
    start_service
    pulumi_env
    # No separate preview: each message is then shown once (review with `pulumi preview`).
    pulumi up --yes --skip-preview
    echo
    pulumi stack output
    echo
    arn=$(pulumi stack output job_arn)
    echo "Measured on the local SV1 simulator by the job's own code (examples/quickstart/bell):"
    echo "  counts: $(pulumi stack output counts --json | tr -d ' \n')"
    echo
    echo "The job's log, as its container would have written it:"
    echo "  eval \"\$(.venv/bin/pulumi-braket-local env --port $port --db $state/braket.db)\""
    echo "  .venv/bin/aws logs get-log-events --log-group-name /aws/braket/jobs \\"
    echo "    --log-stream-name \$(.venv/bin/aws logs describe-log-streams \\"
    echo "      --log-group-name /aws/braket/jobs --log-stream-name-prefix \\"
    echo "      bell/${arn##*/}/ --query 'logStreams[0].logStreamName' --output text)"
    echo "Refresh the stack from the service:  make demo-refresh"
    echo "Tear down (cancels what still runs) and stop the service:  make demo-destroy"
    ;;
  refresh)
    start_service
    pulumi_env
    # Refresh reads the job's status and events into state; the up re-exports the outputs.
    pulumi up --refresh --yes --skip-preview
    pulumi stack output
    ;;
  destroy)
    start_service
    pulumi_env
    pulumi destroy --yes
    stop_service
    ;;
  stop)
    stop_service
    ;;
  *)
    echo "usage: $0 up|refresh|destroy|stop" >&2
    exit 2
    ;;
esac
