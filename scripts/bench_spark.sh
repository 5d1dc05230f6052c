#!/usr/bin/env bash
# Spark scaling benchmark (docs/SCALE.md): generates a BF16 checkpoint of 24 layers (12 of 2048 x 8192,
# 12 of 8192 x 2048, 0.8 GB) with make_checkpoint.py, and has ScalingBenchmark analyse it on a standalone
# cluster on this machine, first one worker of one core, then two workers of one core each. Prints a
# JSON document; deletes what it generated.
# Usage: scripts/bench_spark.sh [WORK_DIR] [REPEATS]   (python3 with numpy; run nothing else meanwhile)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
repeats="${2:-3}"
trap 'rm -rf "$work/ckpt" "$work"/cluster-* "$work/tiny.safetensors"' EXIT
(cd "$here" && mvn -q -B -ntp package -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
python3 "$here/core/src/test/resources/io/nnrmtsvd/checkpoint/make_checkpoint.py" "$work/ckpt" --preset bench \
  --layers 12 --dim 2048 --ffn 8192 --signal 16 --shards 2 >&2
launch="$here/spark/target/launch"
# The OpenBLAS variables of these machines force slower kernels; unset for the workers and executors too.
# shellcheck disable=SC2046
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE SPARK_LOCAL_IP=127.0.0.1 java -Xmx2g $(cat "$launch/jvm.options") \
  -cp "$(cat "$launch/classpath.txt")" io.nnrmtsvd.spark.ScalingBenchmark "$work/ckpt" "$work" "$repeats"
