#!/usr/bin/env bash
# The system package the tests need beyond the Python ones: Debian's headless Chromium, which the
# browser tests (pytest -m browser) drive through Playwright. Called by the README's test command
# and by .ci/run.
#
# Chromium on PATH: nothing to do. Missing: installed with apt-get as root, or with `sudo -n` when
# sudo needs no password. Otherwise (no root, no apt-get) it says so and exits 0, so that the test
# run goes on: the browser tests are then reported as skipped with the reason, every other test
# runs (with CI=true they fail instead: tests/conftest.py). About 460 MB (115 Debian packages).
set -euo pipefail

if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-test-deps: no chromium and no apt-get here: install Chromium as 'chromium' on PATH, or the browser tests are skipped" >&2
  exit 0
fi
if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root=(sudo -n)
else
  echo "install-test-deps: chromium is missing and this is not root: run 'sudo apt-get install chromium', or the browser tests are skipped" >&2
  exit 0
fi
echo "install-test-deps: installing chromium with apt-get (about 115 packages, 460 MB, one to three minutes)..." >&2
${as_root[@]+"${as_root[@]}"} apt-get update -qq
${as_root[@]+"${as_root[@]}"} env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "install-test-deps: apt-get ran but chromium is not on PATH" >&2; exit 1; }
