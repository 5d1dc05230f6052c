package io.nnrmtsvd.run;

import io.nnrmtsvd.data.Dataset;
import io.nnrmtsvd.experiment.OverfitExperiment;
import io.nnrmtsvd.experiment.PaperExperiment;
import io.nnrmtsvd.experiment.Variant;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the jobs of an experiment grid run ({@link OverfitRun}: one variant from one seed each;
 * {@code experiment paper}'s Experiment A: every variant of one seed each): {@link #LOCAL}, this
 * process's threads, or a cluster (the Spark module). With one BLAS thread per job every engine
 * gives the same runs, to the bit.
 */
public interface ExperimentEngine {
    /** The threads of this process. */
    ExperimentEngine LOCAL = new ExperimentEngine() {
        @Override
        public String where() {
            return "this machine";
        }

        @Override
        public int slots() {
            return Runtime.getRuntime().availableProcessors();
        }

        @Override
        public OverfitExperiment.Run run(OverfitExperiment.Settings s, long seed, Variant variant, Dataset prepared,
                                         Path dataDir, Optional<OverfitExperiment.Run> prune,
                                         OverfitExperiment.Listener listener) {
            return OverfitExperiment.run(s, seed, variant, prepared, prune, listener);
        }

        @Override
        public Map<Variant, PaperExperiment.VariantRun> paperSeed(PaperExperiment.Settings s, long seed,
                                                                  Dataset loaded, Path dataDir,
                                                                  PaperExperiment.Listener listener) {
            return PaperExperiment.runSeed(s, seed, loaded.train(), loaded.test(), listener);
        }
    };

    /** Where the jobs run, for the log. */
    String where();

    /** Jobs that run at once by default. */
    int slots();

    /**
     * Runs one job ({@link OverfitExperiment#run}) with one BLAS thread. A remote engine loads the
     * data set the settings name from {@code dataDir} and prepares it as the settings say; a local
     * one uses {@code prepared}. {@code listener} hears every epoch and prune, if only at the end.
     *
     * @param dataDir where the data set is cached; null for the default
     */
    OverfitExperiment.Run run(OverfitExperiment.Settings s, long seed, Variant variant, Dataset prepared, Path dataDir,
                              Optional<OverfitExperiment.Run> prune, OverfitExperiment.Listener listener);

    /**
     * Runs every variant of one seed of {@code experiment paper}'s Experiment A
     * ({@link PaperExperiment#runSeed}) with one BLAS thread. A remote engine loads the data set
     * {@code loaded} names from {@code dataDir}; a local one uses {@code loaded}.
     *
     * @param dataDir where the data set is cached; null for the default
     */
    Map<Variant, PaperExperiment.VariantRun> paperSeed(PaperExperiment.Settings s, long seed, Dataset loaded,
                                                       Path dataDir, PaperExperiment.Listener listener);
}
