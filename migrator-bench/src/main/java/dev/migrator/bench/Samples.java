package dev.migrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The timings of one contender in one benchmark, in milliseconds. */
final class Samples {

    private static final int LISTED = 30;

    private final List<Double> millis = new ArrayList<>();

    void add(long nanos) {
        this.millis.add(nanos / 1_000_000.0);
    }

    int size() {
        return this.millis.size();
    }

    double median() {
        return median(this.millis);
    }

    /**
     * The median of the ratios of these samples to the other one's, sample by sample (round by round,
     * or request by request): the two were taken next to each other, so load on the machine that comes
     * and goes weighs on both.
     */
    double medianRatioTo(Samples other) {
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(this.millis.size(), other.millis.size()); i++) {
            ratios.add(this.millis.get(i) / other.millis.get(i));
        }
        return median(ratios);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /** The smallest sample at or above which lie {@code percent} per cent of them (nearest rank). */
    double percentile(double percent) {
        List<Double> sorted = this.millis.stream().sorted().toList();
        int rank = (int) Math.ceil(percent / 100 * sorted.size());
        return sorted.get(Math.max(rank, 1) - 1);
    }

    double min() {
        return this.millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return this.millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /**
     * The samples for the report: up to {@value #LISTED} in the order they were taken, more as their
     * percentiles.
     */
    @Override
    public String toString() {
        if (this.millis.size() > LISTED) {
            return String.format(
                    "%,d samples: p5 %s, p50 %s, p95 %s, p99 %s",
                    this.millis.size(),
                    format(percentile(5)),
                    format(percentile(50)),
                    format(percentile(95)),
                    format(percentile(99)));
        }
        return this.millis.stream().map(Samples::format).collect(Collectors.joining(", "));
    }

    /** Milliseconds for the report, with the decimals that a value of this size needs. */
    static String format(double millis) {
        if (millis >= 100) {
            return String.format("%.0f", millis);
        }
        return String.format((millis >= 10) ? "%.1f" : "%.2f", millis);
    }
}
