package dev.invoka.chaos;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Percentiles (nearest rank) and histograms of millisecond samples, as JSON-ready maps. Pure.
 * Example: of [10, 20, 30, 40] the p50 is 20 and the p99 is 40.
 */
final class Stats {

    private Stats() {}

    /** Nearest-rank percentile {@code p} (0-100) of ascending {@code sorted}; 0 when empty. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static long[] sorted(Collection<Long> values) {
        long[] a = values.stream().mapToLong(Long::longValue).toArray();
        java.util.Arrays.sort(a);
        return a;
    }

    /** {@code count, min, p50, p90, p99, max, mean} of the samples; only {@code count} when empty. */
    static Map<String, Object> describe(Collection<Long> values) {
        long[] s = sorted(values);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", s.length);
        if (s.length == 0) return m;
        m.put("min", s[0]);
        m.put("p50", percentile(s, 50));
        m.put("p90", percentile(s, 90));
        m.put("p99", percentile(s, 99));
        m.put("max", s[s.length - 1]);
        m.put("mean", Math.round(java.util.Arrays.stream(s).average().orElse(0)));
        return m;
    }

    /** A histogram bin: samples in [fromMs, toMs). */
    record Bin(long fromMs, long toMs, int count) {}

    /**
     * About {@code bins} equal bins over [p1, p99] of the samples (outliers land in the first and last bin),
     * with a round bin width (1, 2, 5 × 10^k ms).
     */
    static List<Bin> histogram(Collection<Long> values, int bins) {
        long[] s = sorted(values);
        List<Bin> out = new ArrayList<>();
        if (s.length == 0) return out;
        long lo = percentile(s, 1);
        long hi = Math.max(lo + 1, percentile(s, 99));
        long width = roundWidth((hi - lo) / (double) bins);
        long start = Math.floorDiv(lo, width) * width;
        int n = (int) Math.max(1, Math.floorDiv(hi - start, width) + 1);
        int[] counts = new int[n];
        for (long v : s) {
            int i = (int) Math.floorDiv(v - start, width);
            counts[Math.max(0, Math.min(n - 1, i))]++;
        }
        for (int i = 0; i < n; i++) out.add(new Bin(start + i * width, start + (i + 1) * width, counts[i]));
        return out;
    }

    /** Index of the bin of {@code v} in {@code bins} from {@link #histogram}; outliers go to the first or last. */
    static int binOf(List<Bin> bins, long v) {
        for (int i = 0; i < bins.size(); i++) if (v < bins.get(i).toMs()) return i;
        return bins.size() - 1;
    }

    static long roundWidth(double raw) {
        long magnitude = 1;
        while (magnitude * 10 <= raw) magnitude *= 10;
        for (long f : new long[] {1, 2, 5, 10}) if (f * magnitude >= raw) return f * magnitude;
        return 10 * magnitude;
    }
}
