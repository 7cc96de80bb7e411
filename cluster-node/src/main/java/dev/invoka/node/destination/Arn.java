package dev.invoka.node.destination;

/**
 * The parts of an ARN {@code arn:<partition>:<service>:<region>:<account>:<resource>} that the AWS
 * adapters need. A target that is not an ARN of {@code service} is a permanent delivery failure.
 */
record Arn(String partition, String service, String region, String account, String resource) {

    static Arn parse(String target, String service) {
        String[] parts = target == null ? new String[0] : target.split(":", 6);
        if (parts.length != 6 || !parts[0].equals("arn") || !parts[2].equals(service) || parts[5].isEmpty()) {
            throw new DeliveryException("'" + target + "' is not an " + service + " ARN", true);
        }
        return new Arn(parts[1], parts[2], parts[3], parts[4], parts[5]);
    }

    /** Standard queues and topics only: AWS refuses FIFO ones as destinations and dead-letter queues. */
    boolean fifo() {
        return resource.endsWith(".fifo");
    }
}
