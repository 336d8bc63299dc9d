#!/usr/bin/env bash
# Smoke test of the deployed items services, through their public REST APIs.
#
# Usage: example/ci/smoke-test.sh [OUTPUTS_FILE] [STACK...]
#
#   OUTPUTS_FILE  `cdk deploy --outputs-file` JSON (default: example/cdk-outputs.json)
#   STACK         stacks to test (default: every `items-service-*` stack in OUTPUTS_FILE that has an `ApiUrl`)
#
# For every service stack:
#   1. GET  <ApiUrl>readyz        -> 200 (retried while the service/DB warms up)
#   2. POST <ApiUrl>items unsigned -> 403 (writes must require IAM)
#   3. POST <ApiUrl>items SigV4    -> 201 + Location + JSON item with an id (unique SKU per run)
#   4. GET  <ApiUrl>items/<id>     -> 200, same fields as posted
#   5. DELETE <ApiUrl>items/<id>   SigV4, best effort (SMOKE_CLEANUP=false keeps the item)
#
# Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN (as exported by
# aws-actions/configure-aws-credentials); when unset, `aws configure export-credentials` is used so the script
# also runs by hand with a named profile. Needs bash, curl >= 7.75 (--aws-sigv4) and jq.
#
# Tunables: AWS_REGION (us-east-2), SMOKE_READY_ATTEMPTS (30), SMOKE_READY_DELAY_SECONDS (10),
#           SMOKE_CURL_MAX_TIME (20), SMOKE_CLEANUP (true), SMOKE_STACK_PATTERN (^items-service-).
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
outputs_file="${1:-${script_dir}/../cdk-outputs.json}"
if [[ $# -gt 0 ]]; then shift; fi

region="${AWS_REGION:-${AWS_DEFAULT_REGION:-us-east-2}}"
ready_attempts="${SMOKE_READY_ATTEMPTS:-30}"
ready_delay="${SMOKE_READY_DELAY_SECONDS:-10}"
max_time="${SMOKE_CURL_MAX_TIME:-20}"
cleanup="${SMOKE_CLEANUP:-true}"
stack_pattern="${SMOKE_STACK_PATTERN:-^items-service-}"
run_id="${GITHUB_RUN_ID:-local}-${GITHUB_RUN_ATTEMPT:-1}"

log() { printf '[smoke] %s\n' "$*" >&2; }
fail() {
  if [[ -n "${GITHUB_ACTIONS:-}" ]]; then printf '::error title=smoke test::%s\n' "$*" >&2; fi
  printf '[smoke] FAILED: %s\n' "$*" >&2
  exit 1
}

for tool in curl jq; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is required"
done
[[ -f "$outputs_file" ]] || fail "outputs file not found: $outputs_file (run cdk deploy --outputs-file first)"
jq -e 'type == "object"' "$outputs_file" >/dev/null || fail "$outputs_file is not a JSON object"

if [[ -z "${AWS_ACCESS_KEY_ID:-}" || -z "${AWS_SECRET_ACCESS_KEY:-}" ]]; then
  command -v aws >/dev/null 2>&1 || fail "no AWS credentials in the environment and no aws CLI to export them"
  log "exporting credentials with 'aws configure export-credentials'"
  eval "$(aws configure export-credentials --format env)"
fi

work_dir="$(mktemp -d)"
trap 'rm -rf "$work_dir"' EXIT

# Curl config holding the SigV4 user and session token: keeps secrets out of the process list.
sigv4_config="${work_dir}/sigv4.curlrc"
(
  umask 077
  printf 'user = "%s:%s"\n' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY"
  if [[ -n "${AWS_SESSION_TOKEN:-}" ]]; then
    printf 'header = "x-amz-security-token: %s"\n' "$AWS_SESSION_TOKEN"
  fi
) >"$sigv4_config"

# output STACK KEY: the CfnOutput KEY of STACK; also accepts a construct-nested output id (KEY + 8 hex hash).
output() {
  jq -r --arg s "$1" --arg k "$2" '
    (.[$s] // {}) | to_entries
    | (map(select(.key == $k)) + map(select(.key | test("^" + $k + "[0-9A-F]{8}$"))))
    | .[0].value // empty' "$outputs_file"
}

# http METHOD URL [curl args...]: prints the status code; body in $work_dir/body, headers in $work_dir/headers.
http() {
  local method="$1" url="$2"
  shift 2
  local code
  : >"${work_dir}/body"
  : >"${work_dir}/headers"
  code="$(curl -sS --max-time "$max_time" -X "$method" -o "${work_dir}/body" -D "${work_dir}/headers" \
    -w '%{http_code}' "$@" "$url")" || true
  printf '%s' "${code:-000}"
}

signed() {
  local method="$1" url="$2"
  shift 2
  http "$method" "$url" -K "$sigv4_config" --aws-sigv4 "aws:amz:${region}:execute-api" "$@"
}

smoke_stack() {
  local stack="$1" api status attempt sku payload id location
  api="$(output "$stack" ApiUrl)"
  [[ -n "$api" ]] || fail "$stack has no ApiUrl output in $outputs_file"
  [[ "$api" == */ ]] || api="${api}/"
  log "$stack: API $api"

  # 1. readiness (the DB connection is checked by /readyz)
  for ((attempt = 1; ; attempt++)); do
    status="$(http GET "${api}readyz")"
    [[ "$status" == 200 ]] && break
    ((attempt < ready_attempts)) || fail "$stack: GET /readyz returned $status after $attempt attempts"
    log "$stack: GET /readyz -> $status (attempt $attempt/$ready_attempts), retrying in ${ready_delay}s"
    sleep "$ready_delay"
  done
  log "$stack: GET /readyz -> 200"

  sku="SMOKE-${run_id}-${stack}-$(date +%s)-${RANDOM}"
  payload="$(jq -cn --arg sku "$sku" --arg run "$run_id" '{
    sku: $sku,
    name: "Smoke test item",
    description: ("Created by example/ci/smoke-test.sh, run " + $run),
    priceCents: 1234,
    currency: "USD",
    category: "smoke-test",
    stock: 7
  }')"

  # 2. writes must not be anonymous
  status="$(http POST "${api}items" -H 'content-type: application/json' --data-binary "$payload")"
  [[ "$status" == 403 ]] || fail "$stack: unsigned POST /items returned $status, expected 403 (IAM authorization)"
  log "$stack: unsigned POST /items -> 403"

  # 3. signed create
  status="$(signed POST "${api}items" -H 'content-type: application/json' --data-binary "$payload")"
  [[ "$status" == 201 ]] || fail "$stack: signed POST /items returned $status: $(head -c 500 "${work_dir}/body")"
  id="$(jq -r '.id // empty' "${work_dir}/body")"
  [[ -n "$id" ]] || fail "$stack: POST /items response has no id: $(head -c 500 "${work_dir}/body")"
  location="$(tr -d '\r' <"${work_dir}/headers" | awk 'tolower($1) == "location:" { print $2 }' | tail -n 1)"
  [[ "$location" == */items/"$id" ]] || fail "$stack: Location header '$location' does not end with /items/$id"
  log "$stack: signed POST /items -> 201 (id $id, sku $sku)"

  # 4. read it back (public)
  status="$(http GET "${api}items/${id}")"
  [[ "$status" == 200 ]] || fail "$stack: GET /items/$id returned $status"
  jq -e --argjson want "$payload" --arg id "$id" \
    '. as $got | (.id | tostring) == $id and ($want | to_entries | all(.value == $got[.key]))' \
    "${work_dir}/body" >/dev/null ||
    fail "$stack: GET /items/$id returned $(head -c 500 "${work_dir}/body"), expected the fields of $payload"
  log "$stack: GET /items/$id -> 200, fields match"

  # 5. best-effort cleanup
  if [[ "$cleanup" == true ]]; then
    status="$(signed DELETE "${api}items/${id}")"
    case "$status" in
      200 | 202 | 204) log "$stack: signed DELETE /items/$id -> $status" ;;
      *) log "$stack: WARNING signed DELETE /items/$id returned $status (item left in place)" ;;
    esac
  fi

  if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
    printf '| `%s` | %s | `%s` | passed |\n' "$stack" "$api" "$sku" >>"$GITHUB_STEP_SUMMARY"
  fi
}

stacks=("$@")
if [[ ${#stacks[@]} -eq 0 ]]; then
  mapfile -t stacks < <(jq -r --arg p "$stack_pattern" \
    'to_entries[] | select((.key | test($p)) and (.value | type == "object") and (.value | keys | any(startswith("ApiUrl")))) | .key' \
    "$outputs_file")
fi
[[ ${#stacks[@]} -gt 0 ]] || fail "no stack matching /$stack_pattern/ with an ApiUrl output in $outputs_file"

if [[ -n "${GITHUB_STEP_SUMMARY:-}" ]]; then
  printf '### Smoke test\n\n| Stack | API | SKU | Result |\n| --- | --- | --- | --- |\n' >>"$GITHUB_STEP_SUMMARY"
fi
for stack in "${stacks[@]}"; do
  smoke_stack "$stack"
done
log "all ${#stacks[@]} service stack(s) passed: ${stacks[*]}"
