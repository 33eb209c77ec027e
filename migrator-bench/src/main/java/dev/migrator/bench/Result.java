package dev.migrator.bench;

import java.util.List;

/**
 * The outcome of one benchmark: migrator against its peer, measured side by side in the same run.
 *
 * @param name what was measured
 * @param peer what migrator was compared with
 * @param migrator migrator's timings
 * @param peerSamples the peer's timings
 * @param warmup the warm-up samples taken before measuring, per contender
 * @param sample what one sample is, for the report: {@code round} (one run of the whole workload)
 *     or {@code request}
 * @param comparison how the ratio is formed and which way it must stay of the target
 * @param target the bound of the ratio of the medians
 * @param notes further findings of the run, one line each, for the details under the table
 */
record Result(
        String name,
        String peer,
        Samples migrator,
        Samples peerSamples,
        int warmup,
        String sample,
        Comparison comparison,
        double target,
        List<String> notes) {

    Result {
        notes = List.copyOf(notes);
    }

    /** A benchmark where migrator's time over the peer's must stay at or below the target. */
    static Result time(String name, String peer, Samples migrator, Samples peerSamples, int warmup, double target) {
        return new Result(name, peer, migrator, peerSamples, warmup, "round", Comparison.TIME, target, List.of());
    }

    /** The ratio of the medians, formed as {@link #comparison()} says. */
    double ratio() {
        return switch (this.comparison) {
            case TIME -> this.migrator.median() / this.peerSamples.median();
            case THROUGHPUT -> this.peerSamples.median() / this.migrator.median();
        };
    }

    /**
     * The median of the ratios of the samples taken next to each other (round by round, or request
     * by request), formed as {@link #comparison()} says.
     */
    double medianRoundRatio() {
        return switch (this.comparison) {
            case TIME -> this.migrator.medianRatioTo(this.peerSamples);
            case THROUGHPUT -> this.peerSamples.medianRatioTo(this.migrator);
        };
    }

    boolean passed() {
        return switch (this.comparison) {
            case TIME -> ratio() <= this.target;
            case THROUGHPUT -> ratio() >= this.target;
        };
    }

    /** How a benchmark compares the two contenders. */
    enum Comparison {

        /** Ratio = migrator's time / peer's time; passes at or below the target. */
        TIME("<="),

        /**
         * Ratio = peer's time / migrator's time, that is migrator's throughput as a share of the peer's;
         * passes at or above the target.
         */
        THROUGHPUT(">=");

        private final String operator;

        Comparison(String operator) {
            this.operator = operator;
        }

        String operator() {
            return this.operator;
        }
    }
}
