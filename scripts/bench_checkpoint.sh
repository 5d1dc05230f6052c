#!/usr/bin/env bash
# Checkpoint benchmark (docs/CHECKPOINTS.md): generates a BF16 checkpoint of 24 layers of
# 4096 x 11008 / 11008 x 4096 (2.16 GB, two shards) with make_checkpoint.py, analyses it with
# `rmtsvd spectrum` (java -Xmx1g, 2 BLAS threads) under /usr/bin/time -v, twice: with the default
# jobs (one per BLAS thread) and with --jobs 1; compresses it, compares the reported output size
# with the files, and deletes everything it generated.
# Usage: scripts/bench_checkpoint.sh [WORK_DIR]   (needs ~2.5 GB free; python3 with numpy)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
trap 'rm -rf "$work/ckpt" "$work/small"' EXIT
(cd "$here" && mvn -q -B -ntp package -DskipTests)
jar="$here/cli/target/rmtsvd.jar"
echo "== generating" >&2
python3 "$here/core/src/test/resources/io/nnrmtsvd/checkpoint/make_checkpoint.py" "$work/ckpt" --preset bench \
  --layers 12 --dim 4096 --ffn 11008 --signal 16 --shards 2
du -cb "$work"/ckpt/* | tail -1
for jobs in default 1; do
  echo "== spectrum, jobs: $jobs" >&2
  extra=()
  [ "$jobs" = default ] || extra=(--jobs "$jobs")
  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -v java -Xmx1g -jar "$jar" spectrum "$work/ckpt" --no-report \
    --threads 2 "${extra[@]}" --json > "$work/spectrum.json" 2> "$work/spectrum.time"
  grep -E "OpenBLAS|Maximum resident|Elapsed" "$work/spectrum.time"
  python3 - "$work/spectrum.json" "$work/spectrum.time" <<'PY'
import json, re, statistics, sys
rows = json.load(open(sys.argv[1]))
secs = [r["seconds"] for r in rows if r["status"] == "analysed"]
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", open(sys.argv[2]).read())
wall = int(m.group(1) or 0) * 3600 + int(m.group(2)) * 60 + float(m.group(3))
print("layers analysed %d; wall time per layer %.2f s (whole command); each layer's own seconds: median %.2f, "
      "min %.2f, max %.2f; spikes %s" % (len(secs), wall / len(secs), statistics.median(secs), min(secs), max(secs),
                                         sorted({r["spikes"] for r in rows if "spikes" in r})))
PY
done
echo "== compress" >&2
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE /usr/bin/time -v java -Xmx2g -jar "$jar" compress "$work/ckpt" --no-report \
  --out "$work/small" --threads 2 --json > "$work/compress.json" 2> "$work/compress.time"
grep -E "Maximum resident|Elapsed" "$work/compress.time"
python3 - "$work/compress.json" "$work/small" <<'PY'
import json, os, sys
doc = json.load(open(sys.argv[1]))
real = sum(os.path.getsize(os.path.join(sys.argv[2], f)) for f in os.listdir(sys.argv[2]))
print("file bytes before %d, after (reported) %d, after (on disk) %d, match %s; parameters %d -> %d" % (
    doc["file_bytes_before"], doc["file_bytes_after"], real, real == doc["file_bytes_after"],
    doc["parameters_before"], doc["parameters_after"]))
errs = [l["relative_error"] for l in doc["layers"] if l["action"] == "factored"]
print("factored layers %d, ranks %s, relative error max %.4f" % (
    len(errs), sorted({l["rank"] for l in doc["layers"] if l["action"] == "factored"}), max(errs)))
PY
