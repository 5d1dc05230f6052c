package io.nnrmtsvd.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code rmtsvd bench --markdown}: the JSON document of a bench run as the tables of docs/BENCHMARKS.md. */
final class BenchTables {
    private BenchTables() {
    }

    @SuppressWarnings("unchecked")
    static String markdown(Map<String, Object> doc) {
        StringBuilder md = new StringBuilder();
        Map<String, Object> m = (Map<String, Object>) doc.get("machine");
        md.append("**Machine**: ").append(m.get("cpu")).append(", ").append(m.get("cores")).append(" cores; clock ")
                .append(f0(m.get("clock_mhz_reported"))).append(" MHz reported, ").append(f0(m.get("clock_mhz_measured")))
                .append(" MHz measured with every core busy; ").append(m.get("float32_flops_per_cycle"))
                .append(" float32 flops per cycle (").append(m.get("flops_per_cycle_from")).append("): peak ")
                .append(f1(m.get("float32_peak_gflops_per_core"))).append(" GFLOP/s per core in float32, half in float64. ")
                .append("Java ").append(m.get("java")).append("; OpenBLAS kernel **").append(m.get("openblas_core"))
                .append("**");
        if (m.get("numpy") instanceof Map<?, ?> np) {
            md.append("; numpy ").append(np.get("numpy")).append(" on ").append(np.get("blas")).append(", kernel **")
                    .append(np.get("blas_core")).append("**");
        }
        if (m.get("torch") instanceof Map<?, ?> pt) {
            md.append("; PyTorch ").append(pt.get("torch")).append(" on ").append(pt.get("blas"));
            if (pt.get("mkl_dispatch") != null) {
                md.append(" (MKL's code path: \"").append(pt.get("mkl_dispatch")).append("\")");
            }
            md.append(", ATen CPU capability ").append(pt.get("cpu_capability"));
        }
        md.append(". Started ").append(m.get("date")).append(", load average ").append(m.get("load_average_at_start"))
                .append(".\n");
        if (doc.get("training") instanceof List<?> rows) {
            md.append("\n| threads | ours s/epoch | numpy s/epoch | PyTorch s/epoch | ours vs numpy | ours vs PyTorch "
                    + "| ours vs the faster | bound s/epoch (peak) | ours at % of peak | sgemm GFLOP/s, training shapes "
                    + "| sgemm GFLOP/s, 2048³ |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
            StringBuilder cpu = new StringBuilder("\nProcess CPU seconds of the same epochs (all threads; what other "
                    + "processes on the machine inflate least):\n\n| threads | ours CPU s/epoch | numpy CPU s/epoch "
                    + "| PyTorch CPU s/epoch | least peer CPU / ours |\n|---|---|---|---|---|\n");
            for (Object o : rows) {
                Map<String, Object> r = (Map<String, Object>) o;
                cpu.append("| ").append(r.get("threads")).append(" | ").append(f2(r.get("cpu_seconds_per_epoch")))
                        .append(" | ").append(f2(r.get("numpy_cpu_seconds_per_epoch"))).append(" | ")
                        .append(f2(r.get("torch_cpu_seconds_per_epoch"))).append(" | ")
                        .append(x(r.get("cpu_ratio_vs_least_cpu_peer"))).append(" |\n");
            }
            for (Object o : rows) {
                Map<String, Object> r = (Map<String, Object>) o;
                md.append("| ").append(r.get("threads")).append(" | ").append(f2(r.get("seconds_per_epoch")))
                        .append(" | ").append(f2(r.get("numpy_seconds_per_epoch"))).append(" | ")
                        .append(f2(r.get("torch_seconds_per_epoch"))).append(" | ").append(x(r.get("speedup_vs_numpy")))
                        .append(" | ").append(x(r.get("speedup_vs_torch"))).append(" | **")
                        .append(x(r.get("speedup_vs_faster_peer"))).append("** | ").append(f2(r.get("bound_seconds_per_epoch")))
                        .append(" | ").append(pct(r.get("fraction_of_peak"))).append(" | ").append(f1(r.get("sgemm_gflops")))
                        .append(" | ").append(f1(r.get("square_sgemm_gflops"))).append(" |\n");
            }
            md.append(cpu);
            Map<String, Object> first = (Map<String, Object>) rows.get(0);
            if (first.get("first_layer_input_features_median") != null) {
                md.append("\nOur first layer multiplied a median ").append(first.get("first_layer_input_features_median"))
                        .append(" of the ").append(first.get("input_features"))
                        .append(" input features a batch: the others are zero in every example of the batch, and skipping "
                                + "them is exact; the peers multiply them all. Bound and % of peak count every feature.\n");
            }
        }
        if (doc.get("spectrum") instanceof Map<?, ?> spectrum) {
            md.append("\n| what | ours | peer | ours vs peer | bound (peak) | ours at % of bound |\n"
                    + "|---|---|---|---|---|---|\n");
            for (Map.Entry<?, ?> e : spectrum.entrySet()) {
                Map<String, Object> r = (Map<String, Object>) e.getValue();
                boolean peer = r.containsKey("bema_scipy_seconds");
                md.append("| ").append(String.valueOf(e.getKey()).replace('_', ' ')).append(" | ")
                        .append(seconds(r.get("seconds"))).append(" | ")
                        .append(peer ? "bema_scipy.py " + seconds(r.get("bema_scipy_seconds")) : "—").append(" | ")
                        .append(peer ? x(r.get("speedup_vs_bema_scipy")) : "").append(" | ")
                        .append(seconds(r.get("bound_seconds"))).append(" | ")
                        .append(pct(ratio(r.get("bound_seconds"), r.get("seconds")))).append(" |\n");
            }
        }
        if (doc.get("checkpoint_layer") instanceof Map<?, ?> layer) {
            md.append("\n| checkpoint layer 4096×11008 BF16 | ours (ssyrk + eigensolver) | dgesdd in double | ours vs dgesdd "
                    + "| bound (peak) | ours at % of bound | error, largest / median eigenvalue |\n|---|---|---|---|---|---|---|\n")
                    .append("| ").append(layer.get("threads")).append(" threads | ").append(seconds(layer.get("seconds")))
                    .append(" | ").append(seconds(layer.get("dgesdd_seconds"))).append(" | ")
                    .append(x(ratio(layer.get("dgesdd_seconds"), layer.get("seconds")))).append(" | ")
                    .append(seconds(layer.get("bound_seconds"))).append(" | ")
                    .append(pct(ratio(layer.get("bound_seconds"), layer.get("seconds")))).append(" | ")
                    .append(String.format(Locale.ROOT, "%.1e / %.1e", num(layer.get("largest_relative_error")),
                            num(layer.get("median_relative_error")))).append(" |\n");
        }
        if (doc.get("experiment_paper") instanceof Map<?, ?> paper) {
            md.append("\n| workflow | wall time | epochs trained | bound (every epoch at peak) | ours at % of bound |\n"
                    + "|---|---|---|---|---|\n| `").append(paper.get("command")).append("` | ")
                    .append(seconds(paper.get("seconds"))).append(" | ").append(paper.get("epochs_trained")).append(" | ")
                    .append(seconds(paper.get("bound_seconds"))).append(" | ")
                    .append(pct(ratio(paper.get("bound_seconds"), paper.get("seconds")))).append(" |\n");
        }
        if (doc.get("recipe") instanceof List<?> rows) {
            md.append("\n| threads | plain s/epoch | recipe s/epoch | recipe / plain | plain CPU s/epoch "
                    + "| recipe CPU s/epoch | recipe / plain, CPU |\n|---|---|---|---|---|---|---|\n");
            for (Object o : rows) {
                Map<String, Object> r = (Map<String, Object>) o;
                md.append("| ").append(r.get("threads")).append(" | ").append(f2(r.get("plain_seconds_per_epoch")))
                        .append(" | ").append(f2(r.get("recipe_seconds_per_epoch"))).append(" | ")
                        .append(f2(r.get("ratio"))).append(" | ").append(f2(r.get("plain_cpu_seconds_per_epoch")))
                        .append(" | ").append(f2(r.get("recipe_cpu_seconds_per_epoch"))).append(" | ")
                        .append(f2(r.get("cpu_ratio"))).append(" |\n");
            }
        }
        if (doc.get("heavy_tail_cost") instanceof List<?> rows) {
            md.append("\n| layer | whole analysis | heavy-tailed part | BEMA only | whole / BEMA only |\n"
                    + "|---|---|---|---|---|\n");
            for (Object o : rows) {
                Map<String, Object> r = (Map<String, Object>) o;
                md.append("| ").append(r.get("shape")).append(" | ").append(seconds(r.get("seconds"))).append(" | ")
                        .append(seconds(r.get("heavy_tail_seconds"))).append(" | ")
                        .append(seconds(r.get("bema_only_seconds"))).append(" | ")
                        .append(String.format(Locale.ROOT, "%.4f", num(r.get("ratio")))).append(" |\n");
            }
        }
        md.append("\nProcess peak RSS ").append(f0(doc.get("process_peak_rss_mb"))).append(" MB.\n");
        return md.toString();
    }

    private static double num(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    private static Double ratio(Object a, Object b) {
        return num(a) / num(b);
    }

    private static String f0(Object o) {
        return o == null ? "—" : String.format(Locale.ROOT, "%.0f", num(o));
    }

    private static String f1(Object o) {
        return o == null ? "—" : String.format(Locale.ROOT, "%.1f", num(o));
    }

    private static String f2(Object o) {
        return o == null ? "—" : String.format(Locale.ROOT, "%.2f", num(o));
    }

    private static String x(Object o) {
        return o == null ? "—" : String.format(Locale.ROOT, "%.2f×", num(o));
    }

    private static String pct(Object o) {
        return o == null || Double.isNaN(num(o)) ? "—" : String.format(Locale.ROOT, "%.0f%%", 100 * num(o));
    }

    private static String seconds(Object o) {
        double s = num(o);
        if (o == null || Double.isNaN(s)) {
            return "—";
        }
        return s < 1 ? String.format(Locale.ROOT, "%.1f ms", 1000 * s) : String.format(Locale.ROOT, "%.2f s", s);
    }
}
