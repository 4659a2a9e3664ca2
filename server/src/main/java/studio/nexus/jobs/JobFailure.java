package studio.nexus.jobs;

/**
 * A job's work failed in a way the handler understands: {@code code} is stable (e.g. {@code decode_failed},
 * {@code provider_unavailable}); {@code retryable} says whether another attempt may succeed.
 */
public class JobFailure extends Exception {
    private final String code;
    private final boolean retryable;

    public JobFailure(String code, String message, boolean retryable) {
        super(message);
        this.code = code;
        this.retryable = retryable;
    }

    public JobFailure(String code, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.retryable = retryable;
    }

    public String code() {
        return code;
    }

    public boolean retryable() {
        return retryable;
    }
}
