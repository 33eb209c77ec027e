package dev.migrator.bench;

/**
 * The outcome of one benchmark: migrator against its peer, measured side by side in the same run.
 *
 * @param name what was measured
 * @param peer what migrator was compared with
 * @param migrator migrator's timings
 * @param peerSamples the peer's timings
 * @param warmup the warm-up rounds run before measuring, per contender
 * @param target the highest acceptable ratio of the medians, migrator over peer
 */
record Result(String name, String peer, Samples migrator, Samples peerSamples, int warmup, double target) {

    double ratio() {
        return this.migrator.median() / this.peerSamples.median();
    }

    boolean passed() {
        return ratio() <= this.target;
    }
}
