package dev.invoka.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultScheduleTest {

    private static FaultSchedule.Options none() {
        return new FaultSchedule.Options(null, List.of(), Duration.ofSeconds(1), null, List.of(), Duration.ofSeconds(10),
                List.of(), Duration.ofSeconds(3), null, List.of(), Duration.ofSeconds(3));
    }

    @Test
    void periodicFaultsStartOnePeriodInAndStopBeforeTheEndOfTheLoad() {
        FaultSchedule.Options o = new FaultSchedule.Options(Duration.ofSeconds(60), List.of(), Duration.ofSeconds(1),
                null, List.of(), Duration.ofSeconds(10), List.of(), Duration.ofSeconds(3), null, List.of(),
                Duration.ofSeconds(3));

        List<FaultSchedule.Fault> plan = FaultSchedule.plan(o, Duration.ofSeconds(200), 3);

        assertEquals(List.of(60_000L, 120_000L, 180_000L), plan.stream().map(FaultSchedule.Fault::atMs).toList());
        assertEquals(List.of(0, 1, 2), plan.stream().map(FaultSchedule.Fault::node).toList());
        assertEquals(1000, plan.get(0).forMs());
    }

    @Test
    void pausesStartOneNodeFurtherThanKillsAndEverythingIsInTimeOrder() {
        FaultSchedule.Options o = new FaultSchedule.Options(null, List.of(Duration.ofSeconds(30)), Duration.ofSeconds(1),
                null, List.of(Duration.ofSeconds(30)), Duration.ofSeconds(5), List.of(Duration.ofSeconds(10)),
                Duration.ofSeconds(3), null, List.of(Duration.ofSeconds(20), Duration.ofSeconds(999)),
                Duration.ofSeconds(2));

        List<FaultSchedule.Fault> plan = FaultSchedule.plan(o, Duration.ofSeconds(60), 2);

        assertEquals(List.of(FaultSchedule.Kind.DB_RESTART, FaultSchedule.Kind.DESTINATION_DOWN, FaultSchedule.Kind.KILL,
                FaultSchedule.Kind.PAUSE), plan.stream().map(FaultSchedule.Fault::kind).toList());
        assertEquals(0, plan.get(2).node());
        assertEquals(1, plan.get(3).node());
        assertEquals(-1, plan.get(0).node());
    }

    @Test
    void noOptionsNoFaults() {
        assertEquals(List.of(), FaultSchedule.plan(none(), Duration.ofMinutes(5), 1));
    }

    @Test
    void durationsAsWrittenOnTheCommandLine() {
        assertEquals(Duration.ofMillis(500), FaultSchedule.parseDuration("500ms"));
        assertEquals(Duration.ofSeconds(90), FaultSchedule.parseDuration("90s"));
        assertEquals(Duration.ofSeconds(90), FaultSchedule.parseDuration("1m30s"));
        assertEquals(Duration.ofMinutes(5), FaultSchedule.parseDuration("5m"));
        assertEquals(Duration.ofSeconds(2), FaultSchedule.parseDuration("2"));
        assertEquals(Duration.ofSeconds(90), FaultSchedule.parseDuration("PT90S"));
        assertThrows(IllegalArgumentException.class, () -> FaultSchedule.parseDuration("ten seconds"));
    }
}
