package dev.migrator.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** The timings of one contender in one benchmark, in milliseconds. */
final class Samples {

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
     * The median of the ratios of this sample to the other one's, round by round: the two were taken
     * next to each other, so load on the machine that comes and goes weighs on both.
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

    double min() {
        return this.millis.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return this.millis.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The samples in the order they were taken, for the report. */
    @Override
    public String toString() {
        return this.millis.stream().map(ms -> String.format("%.0f", ms)).collect(Collectors.joining(", "));
    }
}
