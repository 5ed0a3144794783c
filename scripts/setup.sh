#!/usr/bin/env bash
# Installs the system libraries Lethe links against (Debian/Ubuntu), when they are missing:
#   libopenblas-dev   cblas_dgemm and friends (module CBLAS): Float64 products, the fallback
#   libdnnl-dev       oneDNN 2.6, dnnl_sgemm (module CDNNL): Float32 products
#   libhdf5-dev       HDF5 1.10+ serial build (module CHDF5)
# Idempotent and quiet when everything is there already.
set -euo pipefail

packages=(libopenblas-dev libdnnl-dev libhdf5-dev)
missing=()
for package in "${packages[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
