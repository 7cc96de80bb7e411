package dev.invoka.node.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.invoka.protocol.LambdaException;
import dev.invoka.protocol.LambdaJson;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.Rejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Directives;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP responses in AWS's error shape: {@code x-amzn-ErrorType},
 * {@code x-amzn-RequestId} and the JSON body of {@link LambdaException#body()}. Anything that is not a
 * {@link LambdaException} is logged and answered as a {@code ServiceException} without internals; an
 * unknown route is a 404.
 */
public final class ApiErrors {

    private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

    private ApiErrors() {}

    /** The response for any failure (unwraps CompletionException). */
    public static HttpResponse toResponse(Throwable failure) {
        return toResponse(failure, UUID.randomUUID().toString());
    }

    public static HttpResponse toResponse(Throwable failure, String requestId) {
        return toResponse(asLambdaException(failure), requestId);
    }

    public static HttpResponse toResponse(LambdaException e, String requestId) {
        List<HttpHeader> headers = new ArrayList<>();
        headers.add(RawHeader.create("x-amzn-RequestId", requestId));
        headers.add(RawHeader.create("x-amzn-ErrorType", e.errorType()));
        if (e.retryAfterSeconds() != null) headers.add(RawHeader.create("Retry-After", e.retryAfterSeconds().toString()));
        byte[] body;
        try {
            body = LambdaJson.MAPPER.writeValueAsBytes(e.body());
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        return HttpResponse.create().withStatus(e.status()).addHeaders(headers)
                .withEntity(ContentTypes.APPLICATION_JSON, body);
    }

    static LambdaException asLambdaException(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof LambdaException le) return le;
        if (t instanceof EntityStreamSizeException) return TOO_LARGE;
        log.error("unexpected failure in the API", t);
        return LambdaException.service("Invoka could not handle the request: " + t.getClass().getSimpleName());
    }

    private static final LambdaException TOO_LARGE =
            LambdaException.requestEntityTooLarge("Request must be smaller than 6291456 bytes for the InvokeFunction operation");

    public static final ExceptionHandler EXCEPTIONS = ExceptionHandler.newBuilder()
            .matchAny(t -> Directives.complete(toResponse(t)))
            .build();

    public static final RejectionHandler REJECTIONS = RejectionHandler.newBuilder()
            .handle(MalformedRequestContentRejection.class, r -> Directives.complete(toResponse(r.getCause())))
            .handleAll(Rejection.class, rejections -> Directives.complete(unknownOperation()))
            .handleNotFound(Directives.complete(unknownOperation()))
            .build();

    private static HttpResponse unknownOperation() {
        return toResponse(LambdaException.unknownOperation("Unknown operation"), UUID.randomUUID().toString());
    }
}
