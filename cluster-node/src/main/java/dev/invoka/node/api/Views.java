package dev.invoka.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.invoka.node.Settings;
import dev.invoka.node.function.FunctionConfig;
import dev.invoka.node.function.FunctionState;
import dev.invoka.protocol.FunctionConfiguration;
import dev.invoka.protocol.FunctionRef;
import dev.invoka.protocol.LambdaJson;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;

/** How functions look on the wire, and JSON responses. */
final class Views {

    private static final DateTimeFormatter LAST_MODIFIED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ").withZone(ZoneOffset.UTC);

    private final Settings settings;

    Views(Settings settings) {
        this.settings = settings;
    }

    FunctionRef ref(String name) {
        return new FunctionRef(settings.region(), settings.account(), name, null);
    }

    /** The configuration; the ARN is qualified when the request named a qualifier. */
    FunctionConfiguration configuration(FunctionConfig c, boolean qualified) {
        FunctionRef ref = ref(c.name());
        return new FunctionConfiguration(
                c.name(),
                qualified ? ref.qualifiedArn() : ref.unqualifiedArn(),
                c.runtime(), c.role(), c.handler(), c.codeSize(), c.description(), c.timeout(), c.memorySize(),
                LAST_MODIFIED.format(Instant.ofEpochMilli(c.lastModifiedEpochMs())),
                c.codeSha256(), "$LATEST",
                new FunctionConfiguration.Environment(c.environment()),
                c.deadLetterTargetArn() == null ? null : new FunctionConfiguration.DeadLetterConfig(c.deadLetterTargetArn()),
                new FunctionConfiguration.TracingConfig("PassThrough"),
                c.revisionId(), "Active", "Successful", c.packageType(), c.architectures(),
                new FunctionConfiguration.EphemeralStorage(512),
                new FunctionConfiguration.LoggingConfig("Text", "/aws/lambda/" + c.name()),
                new FunctionConfiguration.SnapStart("None", "Off"));
    }

    /** GetFunction's body: configuration, code location, tags and concurrency when set. */
    Map<String, Object> function(FunctionState state, boolean qualified) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Configuration", configuration(state.config(), qualified));
        body.put("Code", Map.of("RepositoryType", "S3"));
        if (!state.config().tags().isEmpty()) body.put("Tags", state.config().tags());
        if (state.reservedConcurrency() != null) {
            body.put("Concurrency", Map.of("ReservedConcurrentExecutions", state.reservedConcurrency()));
        }
        return body;
    }

    static HttpResponse json(int status, Object body, String requestId) {
        try {
            return HttpResponse.create().withStatus(status)
                    .addHeader(RawHeader.create("x-amzn-RequestId", requestId))
                    .withEntity(ContentTypes.APPLICATION_JSON, LambdaJson.MAPPER.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper PLAIN = new com.fasterxml.jackson.databind.ObjectMapper();

    /** JSON with the members as given (Invoka's own endpoints use lowerCamel keys, nulls included). */
    static HttpResponse plainJson(int status, Object body) {
        try {
            return HttpResponse.create().withStatus(status)
                    .withEntity(ContentTypes.APPLICATION_JSON, PLAIN.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static HttpResponse empty(int status, String requestId) {
        return HttpResponse.create().withStatus(status).addHeader(RawHeader.create("x-amzn-RequestId", requestId));
    }
}
