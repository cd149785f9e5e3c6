#!/bin/sh
# Makes sure a Java runtime is present for the OWL reasoners (HermiT, Pellet) that owlready2 runs.
set -eu
if command -v java >/dev/null 2>&1 && java -version >/dev/null 2>&1; then
    exit 0
fi
echo "Java is missing: installing a headless JRE for the OWL reasoner tests" >&2
if ! command -v apt-get >/dev/null 2>&1; then
    echo "error: no java and no apt-get; install a Java 11+ runtime and re-run" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" != "0" ]; then
    SUDO="sudo"
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq default-jre-headless >/dev/null
java -version
