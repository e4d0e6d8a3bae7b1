#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with the .NET SDK: restore and build the whole solution.
# The TorchSharp native fix (Debian 12's libstdc++) is applied by the build itself (Directory.Build.targets).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is required; see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

# kubectl renders the k8s/ manifests offline for the Deploy tests (they skip, saying so, without it).
if ! command -v kubectl >/dev/null 2>&1; then
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q kubectl >/dev/null 2>&1 \
         || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q kubectl >/dev/null 2>&1; }; }; then
    echo "setup: warning: could not install kubectl with apt-get; the Kubernetes manifest tests will be skipped" >&2
  fi
fi

# The trainer's charts (ScottPlot, SkiaSharp without fontconfig) draw text with a TrueType file found under
# /usr/share/fonts; without one they still render, with no text.
if ! find /usr/share/fonts /usr/local/share/fonts -name '*.ttf' -print -quit 2>/dev/null | grep -q .; then
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core >/dev/null 2>&1 \
         || { DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q fonts-dejavu-core >/dev/null 2>&1; }; }; then
    echo "setup: warning: could not install fonts-dejavu-core with apt-get; trainer charts will have no text" >&2
  fi
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build HyMiRec.sln -c Release -nologo -clp:ErrorsOnly
