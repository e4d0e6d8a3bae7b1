#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with the .NET SDK: restore and build the whole solution.
# The TorchSharp native fix (Debian 12's libstdc++) is applied by the build itself (Directory.Build.targets).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is required; see https://learn.microsoft.com/dotnet/core/install/linux-debian" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
dotnet build HyMiRec.sln -c Release -nologo -clp:ErrorsOnly
