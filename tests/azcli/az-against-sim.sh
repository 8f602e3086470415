#!/usr/bin/env bash
# Sign the REAL Azure CLI (`az`) in to `azwizard sim serve --tls`, offline, in a private config folder.
#
# The simulator becomes a cloud registered with az (`az cloud register`): Resource Manager, the Microsoft
# Entra authority and Graph all at SIM_URL, so az (and anything that reads az's settings, azwizard among
# them) talks to the simulator only. az signs in as a service principal with MSAL's client-credentials
# grant against the simulator's token endpoint.
#
# Environment (inputs):
#   AZ                 the az executable (default: `az` on PATH)
#   SIM_URL            the simulator: https, loopback, no path (e.g. https://127.0.0.1:8443)
#   SIM_SUBSCRIPTION   the subscription the simulator lists at GET /subscriptions
#   AZURE_CONFIG_DIR   a fresh private folder for az's settings (required; never ~/.azure)
#   SIM_CA_BUNDLE      the simulator's certificate (PEM); default: fetched from SIM_URL
#   SIM_TENANT         tenant id (default 00000000-0000-0000-0000-000000000001)
#   SIM_CLIENT_ID / SIM_CLIENT_SECRET   the service principal az signs in as (any values)
#   SIM_CLOUD_NAME     the registered cloud's name (default SimCloud)
#   SIM_LOGIN          1 (default): sign in; 0: register and select the cloud only (az is then not signed in)
#
# Use it sourced (`. az-against-sim.sh`: exports into this shell) or executed (`eval "$(bash az-against-sim.sh)"`:
# prints `export ...` lines on stdout, messages on stderr). The exported variables (AZURE_CONFIG_DIR,
# REQUESTS_CA_BUNDLE, NO_PROXY/no_proxy) are needed by every later az call; they are also written to
# $AZURE_CONFIG_DIR/sim.env.
#
# Sources: az cloud register/set (https://learn.microsoft.com/cli/azure/cloud), az login --service-principal
# (https://learn.microsoft.com/cli/azure/authenticate-azure-cli-service-principal), az's configuration settings
# and variables (https://learn.microsoft.com/cli/azure/azure-cli-configuration), REQUESTS_CA_BUNDLE for az
# behind a custom certificate (https://learn.microsoft.com/cli/azure/use-azure-cli-successfully-troubleshooting).

_sim_az_error() { echo "az-against-sim: $*" >&2; }

_sim_az_setup() {
  local az=${AZ:-az} url=${SIM_URL:-} sub=${SIM_SUBSCRIPTION:-} cfg=${AZURE_CONFIG_DIR:-}
  local tenant=${SIM_TENANT:-00000000-0000-0000-0000-000000000001}
  local client=${SIM_CLIENT_ID:-00000000-0000-0000-0000-0000000000c1}
  local secret=${SIM_CLIENT_SECRET:-sim-secret} cloud=${SIM_CLOUD_NAME:-SimCloud} login=${SIM_LOGIN:-1}
  url=${url%/}

  command -v "$az" >/dev/null 2>&1 || { _sim_az_error "AZ ($az) is not an executable"; return 1; }
  [ -n "$sub" ] || { _sim_az_error "SIM_SUBSCRIPTION is empty"; return 1; }
  [ -n "$cfg" ] || { _sim_az_error "set AZURE_CONFIG_DIR to a fresh private folder"; return 1; }
  [ "$cfg" != "${HOME:-}/.azure" ] || { _sim_az_error "refusing to touch ~/.azure"; return 1; }
  # Loopback only: 127.x.x.x, localhost or [::1], optional port, no path.
  local loopback='^https://(127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|localhost|\[::1\])(:[0-9]{1,5})?$'
  [[ $url =~ $loopback ]] || { _sim_az_error "SIM_URL must be a loopback https URL without a path, not '$url'"; return 1; }
  local hostport=${url#https://}
  [ -n "${BASH_REMATCH[2]}" ] || hostport=$hostport:443
  local host=${hostport%:*} port=${hostport##*:}
  host=${host#[}; host=${host%]}

  mkdir -p "$cfg" && cfg=$(cd "$cfg" && pwd) || { _sim_az_error "cannot create $cfg"; return 1; }
  export AZURE_CONFIG_DIR=$cfg
  export NO_PROXY="${NO_PROXY:+$NO_PROXY,}127.0.0.1,localhost,::1" no_proxy="${no_proxy:+$no_proxy,}127.0.0.1,localhost,::1"

  # TLS: az's HTTP clients (requests, and MSAL through it) trust REQUESTS_CA_BUNDLE and nothing else once it
  # is set, so the simulator's certificate alone makes every non-simulator host fail TLS. Bearer tokens are
  # only sent over https (azure-core refuses them on http), hence --tls.
  local ca=$cfg/sim-ca.pem
  if [ -n "${SIM_CA_BUNDLE:-}" ]; then
    cp "$SIM_CA_BUNDLE" "$ca" || { _sim_az_error "cannot read SIM_CA_BUNDLE ($SIM_CA_BUNDLE)"; return 1; }
  elif command -v python3 >/dev/null 2>&1; then
    python3 -c 'import ssl, sys; print(ssl.get_server_certificate((sys.argv[1], int(sys.argv[2]))))' \
      "$host" "$port" >"$ca" 2>/dev/null
  fi
  grep -q 'BEGIN CERTIFICATE' "$ca" 2>/dev/null \
    || { _sim_az_error "no certificate from $url (is the simulator running with --tls? or pass SIM_CA_BUNDLE)"; return 1; }
  export REQUESTS_CA_BUNDLE=$ca

  # Offline settings, as variables for the calls below and in az's config for later ones: no telemetry, no
  # MSAL instance discovery (login.microsoftonline.com), no survey, no extension installs, no upgrade check.
  export AZURE_CORE_COLLECT_TELEMETRY=no AZURE_CORE_INSTANCE_DISCOVERY=false
  "$az" config set core.collect_telemetry=no core.instance_discovery=false core.survey_message=no \
    extension.use_dynamic_install=no auto-upgrade.enable=no --only-show-errors >/dev/null \
    || { _sim_az_error "az config set failed"; return 1; }

  # The simulator as a cloud. --skip-endpoint-discovery: az must not fetch ARM metadata. The Entra audience
  # stays the public cloud's (what az asks tokens for); the image alias document points at the simulator,
  # which answers 404 so az uses the copy it ships.
  local verb=register  # az writes one [name] section per registered cloud (no az run needed to look)
  grep -qxF "[$cloud]" "$cfg/clouds.config" 2>/dev/null && verb=update
  "$az" cloud "$verb" --name "$cloud" \
    --endpoint-resource-manager "$url/" \
    --endpoint-active-directory "$url" \
    --endpoint-active-directory-resource-id "https://management.core.windows.net/" \
    --endpoint-active-directory-graph-resource-id "$url/" \
    --endpoint-microsoft-graph-resource-id "$url/" \
    --endpoint-management "https://management.core.windows.net/" \
    --endpoint-gallery "$url/gallery/" \
    --endpoint-vm-image-alias-doc "$url/vmImageAliasDoc" \
    --suffix-storage-endpoint core.windows.net --suffix-keyvault-dns .vault.azure.net \
    --suffix-acr-login-server-endpoint .azurecr.io --suffix-sql-server-hostname .database.windows.net \
    --skip-endpoint-discovery --only-show-errors >/dev/null \
    || { _sim_az_error "az cloud $verb --name $cloud failed"; return 1; }
  "$az" cloud set --name "$cloud" --only-show-errors >/dev/null 2>&1 \
    || { _sim_az_error "az cloud set --name $cloud failed"; return 1; }

  if [ "$login" = 1 ]; then
    # MSAL reads the tenant's OpenID configuration from the simulator, then gets a token; az then lists the
    # subscriptions and caches both, so later commands go straight to Resource Manager.
    local out got
    out=$("$az" login --service-principal --username "$client" --password "$secret" --tenant "$tenant" \
          --output none --only-show-errors 2>&1) \
      || { _sim_az_error "az login against $url failed: $(printf '%s' "$out" | tail -n 3 | tr '\n' ' ')"; return 1; }
    got=$("$az" account show --query id --output tsv 2>/dev/null)
    if [ "$got" != "$sub" ]; then  # az made another subscription the default: choose ours
      "$az" account set --subscription "$sub" --only-show-errors >/dev/null 2>&1 \
        || { _sim_az_error "az account set --subscription $sub failed"; return 1; }
      got=$("$az" account show --query id --output tsv 2>/dev/null)
    fi
    [ "$got" = "$sub" ] || { _sim_az_error "the active subscription is '$got', not '$sub'"; return 1; }
  fi

  {
    printf 'export AZURE_CONFIG_DIR=%q\n' "$cfg"
    printf 'export REQUESTS_CA_BUNDLE=%q\n' "$ca"
    printf 'export NO_PROXY=%q no_proxy=%q\n' "$NO_PROXY" "$no_proxy"
  } >"$cfg/sim.env"
  if [ "$login" = 1 ]; then
    echo "az-against-sim: az talks to $url (cloud $cloud, subscription $sub)" >&2
  else
    echo "az-against-sim: az is set to cloud $cloud at $url, not signed in" >&2
  fi
}

if (return 0 2>/dev/null); then
  _sim_az_setup
else
  set -u
  _sim_az_setup >&2 || exit 1
  cat "$AZURE_CONFIG_DIR/sim.env"
fi
