package dev.invoka.node;

/**
 * Marks what crosses nodes or is persisted; bound to {@code jackson-cbor} in {@code node-pekko.conf}.
 * (Pekko's own marker of that name lives only in its test sources.)
 */
public interface CborSerializable {}
