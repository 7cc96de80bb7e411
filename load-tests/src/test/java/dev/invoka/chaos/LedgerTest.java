package dev.invoka.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LedgerTest {

    private static Ledger.Received record(String id, long seq, String condition, int count, long ts, long received) {
        return new Ledger.Received(id, seq, "f", condition, count, ts, received);
    }

    @Test
    void anAcceptedIdWithoutRecordIsLostUnlessTheNodeKeptItAsUndeliverable() {
        Ledger ledger = new Ledger();
        ledger.accepted("a", 1, "f", 0);
        ledger.accepted("b", 2, "f", 0);
        ledger.accepted("c", 3, "f", 0);
        ledger.record(record("a", 1, "Success", 1, 10, 11));

        Ledger.Summary s = ledger.summarize(0.01, Set.of("c"), List.of());

        assertEquals(3, s.accepted());
        assertEquals(1, s.succeeded());
        assertEquals(List.of("b"), s.lost());
        assertEquals(List.of("c"), s.undeliverable());
        assertEquals(Set.of("b", "c"), ledger.missing());
    }

    @Test
    void theFirstRecordIsTerminalAndLaterOnesAreDuplicates() {
        Ledger ledger = new Ledger();
        ledger.accepted("a", 1, "f", 1000);
        ledger.record(record("a", 1, "RetriesExhausted", 3, 2800, 2801));
        ledger.record(record("a", 1, "RetriesExhausted", 3, 2800, 2900));

        Ledger.Summary s = ledger.summarize(0.01, Set.of(), List.of());

        assertEquals(Map.of("RetriesExhausted", 1), s.byCondition());
        assertEquals(1, s.duplicateRecords());
        assertEquals(0, s.succeeded());
        assertEquals(List.of(1800L), s.eventAgesMs());
        assertEquals(Map.of("f", Map.of("RetriesExhausted", 1)), s.conditionsByFunction());
    }

    @Test
    void recordsOfIdsThatNeverGotA202AreUnacknowledgedAndDoubleWhenTheirEventWasAcceptedAgain() {
        Ledger ledger = new Ledger();
        ledger.accepted("retried", 7, "f", 0);
        ledger.record(record("retried", 7, "Success", 1, 5, 6));
        ledger.record(record("first-try", 7, "Success", 1, 5, 6));   // the lost 202 of seq 7's first try
        ledger.record(record("timed-out", 8, "Success", 1, 5, 6));   // seq 8 was never accepted here

        Ledger.Summary s = ledger.summarize(0.01, Set.of(), List.of());

        assertEquals(2, s.unacknowledgedAccepts());
        assertEquals(1, s.doubleAccepts());
        assertTrue(s.lost().isEmpty());
    }

    @Test
    void retryDelaysAreMeasuredFromTheEndOfTheFailedAttemptAgainstTheScaledExpectation() {
        // The class comment's example: attempts at 0 (ended 5), 620 (ended 622), 1830; scale 0.01.
        List<Ledger.Attempt> attempts = List.of(new Ledger.Attempt(0, 5, true), new Ledger.Attempt(620, 622, true),
                new Ledger.Attempt(1830, 1831, false));

        List<Ledger.DelaySample> d = Ledger.delays("a", attempts, 0.01, List.of());

        assertEquals(2, d.size());
        assertEquals(615, d.get(0).observedMs());
        assertEquals(600, d.get(0).expectedMs());
        assertEquals(15, d.get(0).errorMs());
        assertEquals(1208, d.get(1).observedMs());
        assertEquals(1200, d.get(1).expectedMs());
        assertEquals(8, d.get(1).errorMs());
        assertFalse(d.get(0).disturbed());
    }

    @Test
    void aDelayThatOverlapsAFaultWindowIsDisturbedAndNoDelayFollowsASuccess() {
        List<Ledger.Attempt> attempts = List.of(new Ledger.Attempt(0, 5, true), new Ledger.Attempt(3000, 3001, false),
                new Ledger.Attempt(3100, 3101, false));

        List<Ledger.DelaySample> d = Ledger.delays("a", attempts, 0.01, List.of(new Ledger.Window(100, 2000)));

        assertEquals(1, d.size());
        assertTrue(d.get(0).disturbed());
        assertEquals(2395, d.get(0).errorMs());
    }

    @Test
    void attemptsBeyondTheRecordsCountOrAfterTheRecordAreDuplicates() {
        Ledger.Received terminal = record("a", 1, "Success", 2, 1000, 1000);
        List<Ledger.Attempt> rerun = List.of(new Ledger.Attempt(0, 1, true), new Ledger.Attempt(600, 601, true),
                new Ledger.Attempt(610, 611, false));
        List<Ledger.Attempt> late = List.of(new Ledger.Attempt(0, 1, true), new Ledger.Attempt(600, 601, false),
                new Ledger.Attempt(1500, 1501, false));

        assertEquals(1, Ledger.duplicateAttempts(rerun, terminal));
        assertEquals(1, Ledger.duplicateAttempts(late, terminal));
        assertEquals(0, Ledger.duplicateAttempts(rerun.subList(0, 2), terminal));
    }

    @Test
    void theSummaryCountsAttemptsFromTheEndpointSide() {
        Ledger ledger = new Ledger();
        ledger.accepted("a", 1, "f", 0);
        assertEquals(1, ledger.attemptArrived("a"));
        ledger.attemptEnded("a", 10, 12, true);
        assertEquals(2, ledger.attemptArrived("a"));
        ledger.attemptEnded("a", 615, 616, false);
        ledger.record(record("a", 1, "Success", 2, 620, 630));

        Ledger.Summary s = ledger.summarize(0.01, Set.of(), List.of());

        assertEquals(1, s.httpEvents());
        assertEquals(2, s.attempts());
        assertEquals(0, s.duplicateAttempts());
        assertEquals(1, s.delays().size());
        assertEquals(3, s.delays().get(0).errorMs());
    }
}
