package io.nnrmtsvd.spark;

import io.nnrmtsvd.checkpoint.SpectrumSettings;
import io.nnrmtsvd.checkpoint.TensorSelection;
import io.nnrmtsvd.codec.BemaJson;
import io.nnrmtsvd.codec.HeavyTailJson;
import io.nnrmtsvd.hadoop.HadoopFileSystem;
import io.nnrmtsvd.io.Json;
import io.nnrmtsvd.io.JsonFields;
import io.nnrmtsvd.io.ShardedCheckpoint;
import io.nnrmtsvd.io.TensorInfo;
import io.nnrmtsvd.linalg.OpenBlas;
import io.nnrmtsvd.run.CheckpointSpectrumRun;
import io.nnrmtsvd.run.TensorEngine;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;

/**
 * One task of a checkpoint analysis, as sent to an executor: where the checkpoint is (a URI every
 * executor can open through Hadoop), which tensors, and the settings as JSON (the library's values
 * are not serializable; their codecs are the one description). On the executor it opens the
 * checkpoint (headers, then the task's tensors by ranges) and runs the library's own analysis,
 * {@link TensorEngine#analyseHere}, one tensor at a time with the task's BLAS threads.
 */
final class TensorTask implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> names;
    private final String settingsJson;
    private final long memoryBudget;
    private final int blasThreads;
    private final Broadcast<Map<String, String>> hadoopConf;

    private TensorTask(String source, List<String> names, String settingsJson, long memoryBudget, int blasThreads,
                       Broadcast<Map<String, String>> hadoopConf) {
        this.source = source;
        this.names = List.copyOf(names);
        this.settingsJson = settingsJson;
        this.memoryBudget = memoryBudget;
        this.blasThreads = blasThreads;
        this.hadoopConf = hadoopConf;
    }

    /** A task of no tensors yet, for {@link #of(List)}. */
    static TensorTask template(String source, CheckpointSpectrumRun.Settings settings, long memoryBudget,
                               int blasThreads, Broadcast<Map<String, String>> hadoopConf) {
        Map<String, Object> json = new LinkedHashMap<>();
        SpectrumSettings spectrum = settings.spectrum();
        json.put("bema", BemaJson.toJson(spectrum.bema()));
        json.put("power_law", HeavyTailJson.toJson(spectrum.heavyTail()));
        json.put("randomize_seed", spectrum.randomizeSeed());
        json.put("include", settings.selection().include());
        json.put("exclude", settings.selection().exclude());
        json.put("min_dim", settings.selection().minDim());
        return new TensorTask(source, List.of(), Json.toString(json, false), memoryBudget, blasThreads, hadoopConf);
    }

    /** This task for {@code tensors}. */
    TensorTask of(List<TensorInfo> tensors) {
        return new TensorTask(source, tensors.stream().map(TensorInfo::name).toList(), settingsJson, memoryBudget,
                blasThreads, hadoopConf);
    }

    List<String> names() {
        return names;
    }

    /** Runs on an executor. */
    Iterator<TensorOutcome> run() throws Exception {
        Map<String, Object> json = Json.parseObject(settingsJson, "task settings");
        Object seed = json.get("randomize_seed");
        SpectrumSettings spectrum = new SpectrumSettings(
                BemaJson.fromJson(JsonFields.object(json.get("bema"), "bema")),
                HeavyTailJson.fromJson(JsonFields.object(json.get("power_law"), "power_law")),
                seed == null ? null : ((Number) seed).longValue());
        TensorSelection selection = new TensorSelection(texts(json.get("include")), texts(json.get("exclude")),
                ((Number) json.get("min_dim")).intValue());
        Configuration conf = new Configuration(false);
        hadoopConf.value().forEach(conf::set);
        List<TensorOutcome> outcomes = new ArrayList<>();
        OpenBlas.setThreads(blasThreads);
        try (ShardedCheckpoint checkpoint = ShardedCheckpoint.open(HadoopFileSystem.path(source, conf))) {
            List<TensorInfo> tensors = names.stream().map(checkpoint::tensor).toList();
            TensorEngine.analyseHere(checkpoint, tensors, spectrum, selection, 1, memoryBudget,
                    (row, eigenvalues) -> outcomes.add(new TensorOutcome(Json.toString(row, false), eigenvalues)));
        }
        return outcomes.iterator();
    }

    private static List<String> texts(Object list) {
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
