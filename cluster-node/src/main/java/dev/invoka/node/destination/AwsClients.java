package dev.invoka.node.destination;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * What the AWS adapters share: one bounded pool of daemon threads for the blocking SDK calls (never
 * Pekko's dispatchers), one url-connection HTTP client, and SDK clients created lazily, one per service
 * and region, on first use, so a node without AWS targets needs no AWS configuration.
 *
 * <p>Configuration is the SDK's standard one: the region is the target ARN's (an ARN names where its
 * resource lives; {@code AWS_REGION}, then the node's region, only when the ARN has none); the endpoint is
 * {@code invoka.destinations.<service>-endpoint} if set, otherwise the SDK resolves it itself from
 * {@code AWS_ENDPOINT_URL_<SERVICE>} / {@code AWS_ENDPOINT_URL} (and their {@code aws.endpointUrl*} system
 * properties, and the profile), else AWS. Credentials come from the default chain; when it finds none and
 * an endpoint override is set (ElasticMQ, LocalStack), static dummy credentials ({@code test}/{@code test})
 * are used; with no override the call fails, retryably, with a message that says so.
 *
 * <p>SDK retries are off: the function entity retries failed deliveries with its own backoff, and
 * {@link #classify} says which failures are worth it.
 */
final class AwsClients implements AutoCloseable {

    /** The services, with the names of their SDK endpoint settings (verified in the 2.58 jars). */
    enum Service {
        SQS("AWS_ENDPOINT_URL_SQS", "aws.endpointUrlSqs"),
        SNS("AWS_ENDPOINT_URL_SNS", "aws.endpointUrlSns"),
        EVENTBRIDGE("AWS_ENDPOINT_URL_EVENTBRIDGE", "aws.endpointUrlEventBridge");

        final String envVariable;
        final String systemProperty;

        Service(String envVariable, String systemProperty) {
            this.envVariable = envVariable;
            this.systemProperty = systemProperty;
        }
    }

    /** Error codes of 4xx answers that trying again can fix (credentials rotate, clocks resync). */
    private static final Set<String> RETRYABLE_CODES = Set.of("ExpiredToken", "ExpiredTokenException",
            "RequestExpired", "RequestTimeout", "RequestTimeoutException", "InvalidClientTokenId",
            "UnrecognizedClientException", "SignatureDoesNotMatch", "IncompleteSignature");

    private final DestinationSettings settings;
    private final String defaultRegion;
    private final Function<String, String> env;
    private final Function<String, String> properties;
    private final ExecutorService executor;
    private final SdkHttpClient http;
    private final Map<String, SdkAutoCloseable> clients = new ConcurrentHashMap<>();
    private volatile DefaultCredentialsProvider defaultChain;

    /**
     * @param defaultRegion region when neither the ARN nor {@code AWS_REGION} names one
     * @param env           environment variables (System::getenv)
     * @param properties    system properties (System::getProperty)
     */
    AwsClients(DestinationSettings settings, String defaultRegion, Function<String, String> env,
               Function<String, String> properties) {
        this.settings = settings;
        this.defaultRegion = defaultRegion;
        this.env = env;
        this.properties = properties;
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "invoka-destinations-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = UrlConnectionHttpClient.builder()
                .connectionTimeout(settings.awsCallTimeout())
                .socketTimeout(settings.awsCallTimeout())
                .build();
    }

    /** Runs blocking SDK work on the adapters' own threads; its failure is {@link #classify classified}. */
    <T> CompletionStage<T> call(String target, Callable<T> work) {
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return work.call();
                } catch (Exception e) {
                    throw classify(target, e);
                }
            }, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new DeliveryException("the node is shutting down", false));
        }
    }

    /**
     * The client of {@code service} for {@code region}, created on first use.
     *
     * @param service  the service
     * @param endpoint the HOCON override of that service, if any
     */
    @SuppressWarnings("unchecked")
    <C extends SdkAutoCloseable, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            Service service, String region, Optional<URI> endpoint, Supplier<B> builder) {
        String key = service + "|" + region;
        SdkAutoCloseable existing = clients.get(key);
        if (existing != null) return (C) existing;
        synchronized (clients) {
            existing = clients.get(key);
            if (existing != null) return (C) existing;
            B b = builder.get()
                    .region(Region.of(region))
                    .credentialsProvider(credentials(service, endpoint.isPresent() || endpointConfigured(service)))
                    .httpClient(http)
                    .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry())
                            .apiCallTimeout(settings.awsCallTimeout()));
            endpoint.ifPresent(b::endpointOverride);
            C client = b.build();
            clients.put(key, client);
            return client;
        }
    }

    /** The region for a target: the ARN's, else {@code AWS_REGION}, else the node's. */
    String region(Arn arn) {
        if (!arn.region().isEmpty()) return arn.region();
        String fromEnv = env.apply("AWS_REGION");
        return fromEnv != null && !fromEnv.isBlank() ? fromEnv.trim() : defaultRegion;
    }

    /** Whether the SDK will use an endpoint other than AWS's for {@code service} (env or system property). */
    boolean endpointConfigured(Service service) {
        if ("true".equalsIgnoreCase(env.apply("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"))
                || "true".equalsIgnoreCase(properties.apply("aws.ignoreConfiguredEndpointUrls"))) return false;
        for (String value : new String[] {env.apply(service.envVariable), env.apply("AWS_ENDPOINT_URL"),
                properties.apply(service.systemProperty), properties.apply("aws.endpointUrl")}) {
            if (value != null && !value.isBlank()) return true;
        }
        return false;
    }

    private AwsCredentialsProvider credentials(Service service, boolean endpointOverridden) {
        if (defaultChain == null) defaultChain = DefaultCredentialsProvider.builder().build();
        try {
            defaultChain.resolveCredentials();
            return defaultChain;
        } catch (SdkClientException e) {
            if (endpointOverridden) return StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"));
            throw new DeliveryException("no AWS credentials for " + service + ": the default chain (environment, "
                    + "system properties, profile, web identity, container, instance profile) found none, and no "
                    + "endpoint override is set that would allow dummy ones: " + e.getMessage(), false);
        }
    }

    /**
     * Whether a failed call is worth trying again. Retryable: I/O errors and timeouts, 5xx, 408, 429 and
     * throttling, clock skew, expired or unrecognised credentials. Permanent: every other 4xx (a queue,
     * topic or bus that does not exist, access denied, a message AWS refuses).
     */
    static DeliveryException classify(String target, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (e instanceof DeliveryException de) return de;
        if (e instanceof AwsServiceException ase) {
            String code = ase.awsErrorDetails() == null ? null : ase.awsErrorDetails().errorCode();
            int status = ase.statusCode();
            boolean retryable = status >= 500 || status == 408 || status == 429 || ase.isThrottlingException()
                    || ase.isClockSkewException() || (code != null && RETRYABLE_CODES.contains(code));
            String message = ase.awsErrorDetails() == null ? ase.getMessage() : ase.awsErrorDetails().errorMessage();
            return new DeliveryException(target + ": " + code + " (HTTP " + status + "): " + message, !retryable);
        }
        if (e instanceof SdkException) return new DeliveryException(target + ": " + e.getMessage(), false);
        return new DeliveryException(target + ": " + e, false);
    }

    /** Lets calls in flight finish (2 s at most), then closes the threads, SDK clients and HTTP client. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        executor.shutdownNow();
        clients.values().forEach(SdkAutoCloseable::close);
        clients.clear();
        if (defaultChain != null) defaultChain.close();
        http.close();
    }
}
