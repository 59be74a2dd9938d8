#!/usr/bin/env bash
# Prints a development JWT (HS256, 12 hours) for a company:  build/token.sh <companyId> [companyName]
# or for an operator, who sees and acts on every company's queue:  build/token.sh --operator [name]
# --approver before the company id adds the approver role (may approve the company's posts awaiting approval).
# The key, issuer and audience default to the Development settings; override with
# SCHEDULER_SIGNING_KEY, SCHEDULER_ISSUER, SCHEDULER_AUDIENCE.
set -euo pipefail
key="${SCHEDULER_SIGNING_KEY:-development-only-signing-key-change-me-0123456789}"
iss="${SCHEDULER_ISSUER:-scheduler}"
aud="${SCHEDULER_AUDIENCE:-scheduler-api}"
now=$(date +%s)
b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }
sign() {
  local header claims signature
  header=$(printf '{"alg":"HS256","typ":"JWT"}' | b64url)
  claims=$(printf '%s' "$1" | b64url)
  signature=$(printf '%s.%s' "$header" "$claims" | openssl dgst -sha256 -hmac "$key" -binary | b64url)
  printf '%s.%s.%s\n' "$header" "$claims" "$signature"
}
if [ "${1:-}" = "--operator" ]; then
  who="${2:-operator}"
  if ! [[ "$who" =~ ^[A-Za-z0-9._@-]+$ ]]; then echo "the operator's name: letters, digits and . _ @ - only" >&2; exit 2; fi
  sign "$(printf '{"sub":"%s","role":"operator","iss":"%s","aud":"%s","iat":%d,"nbf":%d,"exp":%d}' \
    "$who" "$iss" "$aud" "$now" "$now" "$((now + 43200))")"
  exit 0
fi
role=""
if [ "${1:-}" = "--approver" ]; then
  role=',"role":"approver"'
  shift
fi
if [ $# -lt 1 ]; then
  echo "usage: $0 [--approver] <companyId (UUID)> [companyName]" >&2
  exit 2
fi
company="$1"
name="${2:-}"
# JSON-escape the name (backslashes and quotes), and refuse control characters.
if [[ "$name" =~ [[:cntrl:]] ]]; then
  echo "companyName must not contain control characters" >&2
  exit 2
fi
name="${name//\\/\\\\}"
name="${name//\"/\\\"}"
if ! [[ "$company" =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]]; then
  echo "companyId must be a UUID, e.g. $(cat /proc/sys/kernel/random/uuid)" >&2
  exit 2
fi
sign "$(printf '{"sub":"dev-%s","company_id":"%s","company_name":"%s"%s,"iss":"%s","aud":"%s","iat":%d,"nbf":%d,"exp":%d}' \
  "$company" "$company" "$name" "$role" "$iss" "$aud" "$now" "$now" "$((now + 43200))")"
