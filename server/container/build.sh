#!/usr/bin/env bash
# Builds localhost/genq:<version>, one OCI image for every role, with podman (or docker), no registry.
# With the argument "services": localhost/genq-services:<version> instead (PostgreSQL and Redis for tests).
#   GENQ_IMAGE_BASE  the base image; default localhost/genq-base:25, built here when missing from
#                    Debian bookworm (debootstrap, no registry) and a jlink'd Java 25 runtime
# Called by ./genq image, which has built the jars and set JAVA_HOME to a JDK 25.
set -euo pipefail
cd "$(dirname "$0")/../.."
readonly HERE=server/container
readonly VERSION=$(sed -n '/<artifactId>genq-parent<\/artifactId>/{n;s:.*<version>\(.*\)</version>.*:\1:p;q;}' pom.xml)
readonly BASE=${GENQ_IMAGE_BASE:-localhost/genq-base:25}
readonly IMAGE=localhost/genq:$VERSION

engine() {
  if command -v podman >/dev/null; then
    echo podman
  elif command -v docker >/dev/null; then
    echo docker
  elif [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq --no-install-recommends podman runc debootstrap >/dev/null
    echo podman
  else
    echo "genq image: needs podman or docker (Debian: apt-get install podman runc)" >&2
    exit 1
  fi
}
ENGINE=$(engine)
[ "$ENGINE" = podman ] && export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/$HERE/containers.conf} # engine ran in a subshell

# The offline base: Debian minbase with a Java 25 runtime where Temurin's images keep theirs.
build_base() {
  if [ "$(id -u)" != 0 ]; then
    echo "genq image: building the offline base $BASE needs root (debootstrap); run as root once," \
      "or set GENQ_IMAGE_BASE to a Java 25 image (e.g. eclipse-temurin:25-jre) where a registry is reachable" >&2
    exit 1
  fi
  command -v debootstrap >/dev/null || apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
  local work
  work=$(mktemp -d /var/tmp/genq-base.XXXXXX)
  trap 'rm -rf "$work"' RETURN
  echo "genq image: building $BASE (debootstrap bookworm, jlink)" >&2
  debootstrap --variant=minbase bookworm "$work/rootfs" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; exit 1; }
  rm -rf "$work"/rootfs/usr/share/{doc,man,info,locale} "$work"/rootfs/var/cache/apt/* "$work"/rootfs/var/lib/apt/lists/*
  "$JAVA_HOME/bin/jlink" --add-modules java.se,jdk.unsupported,jdk.management,jdk.management.jfr,jdk.jfr,jdk.crypto.ec,jdk.crypto.cryptoki,jdk.zipfs,jdk.naming.dns,jdk.localedata,jdk.charsets,jdk.httpserver,jdk.net,jdk.security.auth,jdk.security.jgss \
    --include-locales en --strip-debug --no-man-pages --no-header-files --compress zip-6 --output "$work/rootfs/opt/java/openjdk"
  tar -C "$work/rootfs" -c . | $ENGINE import \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' --change 'ENV LANG=C.UTF-8' - "$BASE" >/dev/null
}

if [ "$BASE" = localhost/genq-base:25 ] && ! $ENGINE image exists "$BASE" 2>/dev/null; then
  build_base
fi

if [ "${1:-}" = services ]; then # the cluster tests' PostgreSQL and Redis (server/container/services)
  $ENGINE build -q --network host --build-arg BASE="$BASE" -t localhost/genq-services:"$VERSION" "$HERE/services" >/dev/null
  echo "localhost/genq-services:$VERSION built on $BASE"
  exit 0
fi

cp server/target/genq-server-"$VERSION".jar server/target/image/lib/
previous=$($ENGINE image inspect --format '{{.Id}}' "$IMAGE" 2>/dev/null || true)
$ENGINE build -q --build-arg BASE="$BASE" -t "$IMAGE" -f "$HERE/Containerfile" server/target/image >/dev/null
current=$($ENGINE image inspect --format '{{.Id}}' "$IMAGE")
# The image this one replaces would linger untagged; it goes unless a container still uses it.
[ -n "$previous" ] && [ "$previous" != "$current" ] && $ENGINE rmi "$previous" >/dev/null 2>&1 || true
size=$($ENGINE image inspect --format '{{.Size}}' "$IMAGE")
echo "$IMAGE built ($((size / 1000000)) MB) on $BASE"
