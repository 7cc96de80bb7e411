package dev.invoka.node.journal;

import java.sql.Connection;
import java.sql.SQLException;
import scala.concurrent.Future;
import slick.dbio.DBIOAction;
import slick.jdbc.JdbcBackend;
import slick.jdbc.SimpleJdbcAction;

/** Plain JDBC work on pekko-persistence-jdbc's Slick database: its threads, its connection pool. */
final class Jdbc {

    interface Work<R> {
        R apply(Connection connection) throws SQLException;
    }

    private Jdbc() {}

    @SuppressWarnings({"unchecked", "rawtypes"})
    static <R> Future<R> run(JdbcBackend.JdbcDatabaseDef db, Work<R> work) {
        SimpleJdbcAction<R> action = new SimpleJdbcAction<>(context -> {
            try {
                return work.apply(context.connection());
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        return db.run((DBIOAction) action);
    }

    /** A quoted SQL identifier, as the plugin's Slick tables name them. */
    static String q(String identifier) {
        return "\"" + identifier + "\"";
    }

    /** A table of the plugin's configuration, quoted, in its schema when one is set. */
    static String table(scala.Option<String> schema, String name) {
        return (schema.isDefined() ? q(schema.get()) + "." : "") + q(name);
    }
}
