package io.nnrmtsvd.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.nnrmtsvd.checkpoint.CheckpointFixtures;
import io.nnrmtsvd.data.IdxFixtures;
import io.nnrmtsvd.run.TensorEngine;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A standalone cluster of a master and two one-core workers on 127.0.0.1, started by the test:
 * its checkpoint rows and experiment grid are the single-machine run's, with the work spread over
 * both executors.
 */
class StandaloneClusterTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersGiveTheSingleMachineRowsAndGrid() throws Exception {
        Path ck = CheckpointFixtures.gpt2(dir.resolve("gpt2"));
        Path data = dir.resolve("data");
        IdxFixtures.writeTinyMnist(data, 256, 64, 4);
        Path local = dir.resolve("local");
        Path localGrid = dir.resolve("local-grid");
        Runs.ok(TensorEngine.LOCAL, "spectrum", ck.toString(), "--run-dir", local.toString());
        Runs.ok(TensorEngine.LOCAL, SparkExperimentTest.args(data, "--run-dir", localGrid.toString())
                .toArray(String[]::new));
        try (LocalCluster cluster = LocalCluster.start(2, 1, "1g", dir.resolve("cluster"));
             JavaSparkContext sc = new JavaSparkContext(cluster.conf("StandaloneClusterTest", "768m"))) {
            SparkTensorEngine engine = new SparkTensorEngine(sc);
            Path spark = dir.resolve("spark");
            Runs.ok(engine, "spectrum", ck.toString(), "--run-dir", spark.toString());
            assertEquals(Runs.rows(local), Runs.rows(spark));
            assertEquals(2, engine.slots(), "one slot per worker core");
            assertTrue(sc.sc().getExecutorIds().size() >= 2, "both workers ran executors: "
                    + sc.sc().getExecutorIds());

            Path sparkGrid = dir.resolve("spark-grid");
            Runs.Run grid = Runs.of(engine, new SparkExperimentEngine(sc), SparkExperimentTest.args(data,
                    "--run-dir", sparkGrid.toString()).toArray(String[]::new));
            assertEquals(0, grid.code(), grid.err());
            assertEquals(SparkExperimentTest.runs(localGrid), SparkExperimentTest.runs(sparkGrid));
        }
    }
}
