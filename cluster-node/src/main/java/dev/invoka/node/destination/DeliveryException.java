package dev.invoka.node.destination;

/** A record could not be delivered; {@code permanent} when retrying cannot help (unsupported, loop). */
public final class DeliveryException extends RuntimeException {

    private final boolean permanent;

    public DeliveryException(String message, boolean permanent) {
        super(message, null, false, false);
        this.permanent = permanent;
    }

    public boolean permanent() {
        return permanent;
    }
}
