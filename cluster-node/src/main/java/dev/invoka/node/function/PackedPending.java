package dev.invoka.node.function;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

/**
 * The waiting and running events of a snapshot, packed: about 26 bytes an event instead of the ~75 of one
 * CBOR array each, so that the snapshot of a queue of a million events is one value of ~26 MB, small enough
 * to be written from a 512 MB heap that also holds the queue.
 *
 * <p>Per event: a flags byte; the request id as 16 bytes when it is a UUID in canonical form (all of
 * Invoka's are), else as a string; the qualifier and ARN as an index into the snapshot's list; the accept
 * time, order and journal position as differences from the previous event's (consecutive accepts differ
 * by a few units); the due time as a difference from the accept time; then hops, attempts and throttles;
 * then the last error and the redrive origin when present. Integers are zigzag varints.
 */
final class PackedPending {

    private static final int UUID_ID = 1;
    private static final int LAST_ERROR = 2;
    private static final int REDRIVE_OF = 4;

    private PackedPending() {}

    /** The events in {@code pending}, in their iteration order; {@code arn} gives each one's ARN index. */
    static byte[] pack(Collection<AsyncQueue.Pending> pending, ToIntFunction<AsyncQueue.Pending> arn) {
        Writer out = new Writer(pending.size() * 28 + 16);
        out.varint(pending.size());
        long accepted = 0, order = 0, seqNr = 0;
        for (AsyncQueue.Pending p : pending) {
            UUID uuid = canonicalUuid(p.requestId());
            int flags = (uuid != null ? UUID_ID : 0) | (p.lastError() != null ? LAST_ERROR : 0)
                    | (p.redriveOf() != null ? REDRIVE_OF : 0);
            out.raw(flags);
            if (uuid != null) {
                out.fixed64(uuid.getMostSignificantBits());
                out.fixed64(uuid.getLeastSignificantBits());
            } else {
                out.string(p.requestId());
            }
            out.varint(arn.applyAsInt(p));
            out.varint(p.acceptedAtMs() - accepted);
            out.varint(p.dueAtMs() - p.acceptedAtMs());
            out.varint(p.order() - order);
            out.varint(p.payloadSeqNr() - seqNr);
            out.varint(p.hops());
            out.varint(p.attempts());
            out.varint(p.throttles());
            if (p.lastError() != null) out.bytes(p.lastError());
            if (p.redriveOf() != null) out.string(p.redriveOf());
            accepted = p.acceptedAtMs();
            order = p.order();
            seqNr = p.payloadSeqNr();
        }
        return out.toByteArray();
    }

    /** Reads what {@link #pack} wrote; {@code arn} turns an index back into (qualifier, ARN). */
    static void unpack(byte[] packed, IntFunction<String[]> arn, Consumer<AsyncQueue.Pending> each) {
        Reader in = new Reader(packed);
        long count = in.varint();
        long accepted = 0, order = 0, seqNr = 0;
        for (long i = 0; i < count; i++) {
            int flags = in.raw();
            String requestId = (flags & UUID_ID) != 0 ? new UUID(in.fixed64(), in.fixed64()).toString() : in.string();
            String[] qualifierAndArn = arn.apply((int) in.varint());
            accepted += in.varint();
            long due = accepted + in.varint();
            order += in.varint();
            seqNr += in.varint();
            int hops = (int) in.varint();
            int attempts = (int) in.varint();
            int throttles = (int) in.varint();
            byte[] lastError = (flags & LAST_ERROR) != 0 ? in.bytes() : null;
            String redriveOf = (flags & REDRIVE_OF) != 0 ? in.string() : null;
            each.accept(new AsyncQueue.Pending(requestId, qualifierAndArn[0], qualifierAndArn[1], accepted, hops,
                    attempts, throttles, due, order, null, seqNr, lastError, redriveOf));
        }
        if (in.position != packed.length) throw new IllegalArgumentException("packed queue has trailing bytes");
    }

    /** The id as a UUID when {@code UUID.toString()} gives it back exactly (lower case, canonical), else null. */
    static UUID canonicalUuid(String id) {
        if (id.length() != 36 || id.charAt(8) != '-' || id.charAt(13) != '-' || id.charAt(18) != '-'
                || id.charAt(23) != '-') {
            return null;
        }
        for (int i = 0; i < 36; i++) {
            char c = id.charAt(i);
            boolean dash = i == 8 || i == 13 || i == 18 || i == 23;
            if (!dash && !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return null;
        }
        return UUID.fromString(id);
    }

    private static final class Writer {
        private byte[] buf;
        private int size;

        Writer(int capacity) {
            buf = new byte[capacity];
        }

        private void ensure(int more) {
            if (size + more > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 3 / 2, size + more));
        }

        void raw(int b) {
            ensure(1);
            buf[size++] = (byte) b;
        }

        void fixed64(long v) {
            ensure(8);
            for (int i = 56; i >= 0; i -= 8) buf[size++] = (byte) (v >>> i);
        }

        /** Zigzag varint: small magnitudes of either sign take few bytes. */
        void varint(long v) {
            long z = (v << 1) ^ (v >> 63);
            ensure(10);
            while ((z & ~0x7FL) != 0) {
                buf[size++] = (byte) ((z & 0x7F) | 0x80);
                z >>>= 7;
            }
            buf[size++] = (byte) z;
        }

        void bytes(byte[] b) {
            varint(b.length);
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        void string(String s) {
            bytes(s.getBytes(StandardCharsets.UTF_8));
        }

        byte[] toByteArray() {
            return size == buf.length ? buf : Arrays.copyOf(buf, size);
        }
    }

    private static final class Reader {
        private final byte[] buf;
        private int position;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        int raw() {
            return buf[position++] & 0xFF;
        }

        long fixed64() {
            long v = 0;
            for (int i = 0; i < 8; i++) v = (v << 8) | (buf[position++] & 0xFF);
            return v;
        }

        long varint() {
            long z = 0;
            int shift = 0;
            while (true) {
                byte b = buf[position++];
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) break;
                shift += 7;
                if (shift > 63) throw new IllegalArgumentException("varint too long");
            }
            return (z >>> 1) ^ -(z & 1);
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] b = Arrays.copyOfRange(buf, position, position + length);
            position += length;
            return b;
        }

        String string() {
            int length = (int) varint();
            String s = new String(buf, position, length, StandardCharsets.UTF_8);
            position += length;
            return s;
        }
    }
}
