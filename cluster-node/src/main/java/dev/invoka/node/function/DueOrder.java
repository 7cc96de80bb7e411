package dev.invoka.node.function;

import dev.invoka.node.function.AsyncQueue.Pending;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A function's waiting and running events, earliest due first (then in order of arrival), for
 * {@link AsyncQueue#dueOrder()}.
 *
 * <p>Two parts. Accepted events are due when accepted, so they nearly always arrive in due order: they are
 * appended to a queue ({@code arrivals}), in constant time and for one reference each. Only an event that
 * does not sort after the last arrival (a retry, rescheduled to a later due time, or an accept whose clock
 * went back) goes into a tree ({@code others}). Iteration merges the two. Profiles of the accept path showed
 * the tree's descent, a cache miss per level of a deep backlog, at a few microseconds an accept; the tree also
 * cost 40 bytes an event.
 *
 * <p>An arrival is not removed from the middle of the queue: it turns stale when the queue's owner no longer
 * holds it ({@code live} is false: it finished, or was replaced by its rescheduled copy), is skipped by
 * iteration, dropped when it reaches the head, and the queue is compacted when stale arrivals outnumber the
 * live ones.
 */
final class DueOrder implements Iterable<Pending> {

    private final Comparator<Pending> order;
    private final Predicate<Pending> live;
    private final ArrayDeque<Pending> arrivals = new ArrayDeque<>();
    private final TreeSet<Pending> others;
    private int stale;

    DueOrder(Comparator<Pending> order, Predicate<Pending> live) {
        this.order = order;
        this.live = live;
        this.others = new TreeSet<>(order);
    }

    /** Adds an event just accepted: to the end of the arrivals when it sorts after them. */
    void addArrival(Pending p) {
        Pending last = arrivals.peekLast();
        if (last == null || order.compare(last, p) < 0) arrivals.addLast(p);
        else others.add(p);
    }

    /** Adds an event that may sort anywhere (a rescheduled one). */
    void addOther(Pending p) {
        others.add(p);
    }

    /** Removes an event its owner no longer holds (call after the owner dropped or replaced it). */
    void remove(Pending p) {
        if (others.remove(p)) return;
        stale++;
        dropStaleHead();
        if (stale > 64 && stale > arrivals.size() / 2) {
            arrivals.removeIf(a -> !live.test(a));
            stale = 0;
        }
    }

    void clear() {
        arrivals.clear();
        others.clear();
        stale = 0;
    }

    /**
     * Fills this (empty) order from events sorted by it, in linear time: arrivals (due when accepted, the
     * {@code arrival} test) to the queue, the rest to the tree (built in one pass from a sorted set).
     */
    void restore(List<Pending> sorted, Predicate<Pending> arrival) {
        List<Pending> rest = new ArrayList<>();
        for (Pending p : sorted) {
            if (arrival.test(p)) arrivals.addLast(p);
            else rest.add(p);
        }
        others.addAll(new SortedList(rest, order));
    }

    private void dropStaleHead() {
        while (!arrivals.isEmpty() && !live.test(arrivals.peekFirst())) {
            arrivals.pollFirst();
            if (stale > 0) stale--;
        }
    }

    @Override
    public Iterator<Pending> iterator() {
        dropStaleHead();
        Iterator<Pending> a = arrivals.iterator();
        Iterator<Pending> o = others.iterator();
        return new Iterator<>() {
            private Pending nextArrival = nextLive(a);
            private Pending nextOther = o.hasNext() ? o.next() : null;

            private Pending nextLive(Iterator<Pending> it) {
                while (it.hasNext()) {
                    Pending p = it.next();
                    if (live.test(p)) return p;
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return nextArrival != null || nextOther != null;
            }

            @Override
            public Pending next() {
                Pending p;
                if (nextArrival != null && (nextOther == null || order.compare(nextArrival, nextOther) < 0)) {
                    p = nextArrival;
                    nextArrival = nextLive(a);
                } else if (nextOther != null) {
                    p = nextOther;
                    nextOther = o.hasNext() ? o.next() : null;
                } else {
                    throw new NoSuchElementException();
                }
                return p;
            }
        };
    }

    /**
     * A list already sorted by {@code order}, without ties, seen as the {@link SortedSet} that {@link TreeSet#addAll}
     * builds a tree from in one pass. Only what that needs is implemented.
     */
    private static final class SortedList extends AbstractSet<Pending> implements SortedSet<Pending> {
        private final List<Pending> sorted;
        private final Comparator<? super Pending> order;

        SortedList(List<Pending> sorted, Comparator<? super Pending> order) {
            this.sorted = sorted;
            this.order = order;
        }

        @Override
        public Iterator<Pending> iterator() {
            return sorted.iterator();
        }

        @Override
        public int size() {
            return sorted.size();
        }

        @Override
        public Comparator<? super Pending> comparator() {
            return order;
        }

        @Override
        public SortedSet<Pending> subSet(Pending from, Pending to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Pending> headSet(Pending to) {
            throw new UnsupportedOperationException();
        }

        @Override
        public SortedSet<Pending> tailSet(Pending from) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Pending first() {
            return sorted.get(0);
        }

        @Override
        public Pending last() {
            return sorted.get(sorted.size() - 1);
        }
    }
}
