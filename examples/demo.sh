#!/bin/sh
# The demo (./dev demo). Until the simulator and the resource kinds exist, it checks the examples.
set -eu
build=$1
here=$(cd "$(dirname "$0")" && pwd)
"$build/cli/hainfra" --version
