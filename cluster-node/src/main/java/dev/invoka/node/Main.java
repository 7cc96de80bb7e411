package dev.invoka.node;

import com.typesafe.config.ConfigFactory;

/** Starts one node in the foreground; SIGTERM (Ctrl-C) runs Pekko's coordinated shutdown. */
public final class Main {

    private Main() {}

    public static void main(String[] args) throws Exception {
        InvokaNode node;
        try {
            node = InvokaNode.start(ConfigFactory.empty(), Wiring.defaults());
        } catch (Exception e) {
            System.err.println("Invoka could not start: " + e);
            System.exit(1);
            return;
        }
        String host = node.address().getAddress().isAnyLocalAddress() ? "localhost" : node.address().getHostString();
        System.out.printf("Invoka listening on http://%s:%d (data in %s, region %s)%n",
                host, node.port(), node.settings().dataDir(), node.settings().region());
    }
}
