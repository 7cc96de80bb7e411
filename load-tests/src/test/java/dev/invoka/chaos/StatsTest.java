package dev.invoka.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        Map<String, Object> d = Stats.describe(List.of(40L, 10L, 30L, 20L));
        assertEquals(10L, d.get("min"));
        assertEquals(20L, d.get("p50"));
        assertEquals(40L, d.get("p99"));
        assertEquals(Map.of("count", 0), Stats.describe(List.of()));
    }

    @Test
    void histogramBinsHaveRoundWidthsAndKeepEverySample() {
        List<Long> values = List.of(-3L, 0L, 12L, 47L, 95L, 100L, 5000L);
        List<Stats.Bin> bins = Stats.histogram(values, 10);
        assertEquals(values.size(), bins.stream().mapToInt(Stats.Bin::count).sum());
        assertEquals(bins.size() - 1, Stats.binOf(bins, 1_000_000));
        assertEquals(0, Stats.binOf(bins, -1_000_000));
        assertEquals(500, Stats.roundWidth(480));
        assertEquals(1, Stats.roundWidth(0.3));
    }
}
