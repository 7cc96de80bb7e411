package dev.invoka.protocol;

import java.util.Objects;

/**
 * A resolved reference to a function (and optionally one of its versions or aliases), as produced by
 * {@link FunctionNames} from the {@code FunctionName} path parameter and the {@code Qualifier} query parameter.
 *
 * <p>Contract: {@code region}, {@code account} and {@code name} are never null; {@code qualifier} is
 * {@code null} when the request named no version or alias, otherwise it is exactly as the client wrote it
 * (case preserved, e.g. {@code $latest} is not {@code $LATEST}; callers answer 404 for unknown qualifiers).
 *
 * @param region    the region of the ARN, i.e. the region that serves the request
 * @param account   the 12-digit account id
 * @param name      the function name (no ARN parts, no qualifier)
 * @param qualifier the version or alias, or {@code null} when none was given
 */
public record FunctionRef(String region, String account, String name, String qualifier) {

    /** The unpublished version: what an unqualified reference means. */
    public static final String LATEST = "$LATEST";

    public FunctionRef {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(name, "name");
    }

    /** {@code arn:aws:lambda:{region}:{account}:function:{name}}. */
    public String unqualifiedArn() {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + name;
    }

    /** The qualifier, or {@code $LATEST} when none was given. */
    public String effectiveQualifier() {
        return qualifier == null ? LATEST : qualifier;
    }

    /** {@link #unqualifiedArn()} + ":" + {@link #effectiveQualifier()}. */
    public String qualifiedArn() {
        return unqualifiedArn() + ":" + effectiveQualifier();
    }

    /** Whether the request named a version or alias (including an explicit {@code $LATEST}). */
    public boolean hasQualifier() {
        return qualifier != null;
    }
}
